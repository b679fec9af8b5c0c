package handshake

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrBadAccept means the server's Sec-WebSocket-Accept does not match our
// key: whatever answered, it did not read our handshake.
var ErrBadAccept = errors.New("websocket: Sec-WebSocket-Accept does not match the key")

// ANCHOR: dial

// Dial opens a WebSocket connection to a ws:// or wss:// URL (RFC 6455
// §4.1). It sends the opening handshake with a fresh random key and the
// extra header (for example an Origin), and checks that the server answered
// 101 with the accept value for that key. On a refusal it returns the
// server's response with the error, so the caller can see the status.
func Dial(ctx context.Context, rawURL string, header http.Header) (*Conn, *http.Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, err
	}
	addr, useTLS, err := dialAddr(u)
	if err != nil {
		return nil, nil, err
	}
	var d net.Dialer
	netConn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	if useTLS {
		tc := tls.Client(netConn, &tls.Config{ServerName: u.Hostname()})
		if err := tc.HandshakeContext(ctx); err != nil {
			netConn.Close()
			return nil, nil, err
		}
		netConn = tc
	}
	if deadline, ok := ctx.Deadline(); ok {
		netConn.SetDeadline(deadline)
	} else {
		netConn.SetDeadline(time.Now().Add(handshakeTimeout))
	}

	var raw [16]byte
	_, _ = rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])

	var req strings.Builder
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\n", u.RequestURI())
	fmt.Fprintf(&req, "Host: %s\r\n", u.Host)
	req.WriteString("Upgrade: websocket\r\nConnection: Upgrade\r\n")
	fmt.Fprintf(&req, "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n", key)
	for name, values := range header {
		for _, v := range values {
			fmt.Fprintf(&req, "%s: %s\r\n", name, v)
		}
	}
	req.WriteString("\r\n")
	if _, err := netConn.Write([]byte(req.String())); err != nil {
		netConn.Close()
		return nil, nil, err
	}

	br := bufio.NewReader(netConn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		netConn.Close()
		return nil, nil, err
	}
	if err := checkResponse(resp, key); err != nil {
		netConn.Close()
		return nil, resp, err
	}
	var pending []byte
	if n := br.Buffered(); n > 0 {
		pending, _ = br.Peek(n)
		pending = append([]byte(nil), pending...)
	}
	netConn.SetDeadline(time.Time{})
	return newConn(netConn, pending, true), resp, nil
}

// ANCHOR_END: dial

// ANCHOR: check-response

// checkResponse applies the client's checks of §4.1: status 101, Upgrade
// and Connection headers, and the accept value for our key.
func checkResponse(resp *http.Response, key string) error {
	switch {
	case resp.StatusCode != http.StatusSwitchingProtocols:
		return fmt.Errorf("websocket: server answered %s, not 101 Switching Protocols", resp.Status)
	case !hasToken(resp.Header, "Upgrade", "websocket"):
		return errors.New(`websocket: response lacks "Upgrade: websocket"`)
	case !hasToken(resp.Header, "Connection", "upgrade"):
		return errors.New(`websocket: response lacks "Connection: Upgrade"`)
	case resp.Header.Get("Sec-WebSocket-Accept") != AcceptKey(key):
		return ErrBadAccept
	}
	return nil
}

// ANCHOR_END: check-response

// dialAddr returns host:port for a ws:// or wss:// URL and whether to use TLS.
func dialAddr(u *url.URL) (addr string, useTLS bool, err error) {
	port := u.Port()
	switch u.Scheme {
	case "ws":
		if port == "" {
			port = "80"
		}
	case "wss":
		useTLS = true
		if port == "" {
			port = "443"
		}
	default:
		return "", false, fmt.Errorf("websocket: URL scheme must be ws or wss, not %q", u.Scheme)
	}
	return net.JoinHostPort(u.Hostname(), port), useTLS, nil
}
