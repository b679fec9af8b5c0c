package handshake

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ErrBadAccept means the server's Sec-WebSocket-Accept does not match our
// key: whatever answered, it did not read our handshake.
var ErrBadAccept = errors.New("websocket: Sec-WebSocket-Accept does not match the key")

// ANCHOR: dial

// Dial opens a WebSocket connection to a ws:// or wss:// URL (RFC 6455
// §4.1). It sends the opening handshake with a fresh random key and the
// extra header (for example an Origin, or the subprotocols it offers in
// Sec-WebSocket-Protocol), and checks that the server answered 101 with the
// accept value for that key, and chose nothing it was not offered. On a
// refusal it returns the server's response with the error, so the caller
// can see the status. Cancelling ctx ends the handshake at once; once Dial
// has returned, ctx no longer matters. The Conn has no keepalive: call
// SetKeepalive for one.
func Dial(ctx context.Context, rawURL string, header http.Header) (*Conn, *http.Response, error) {
	return (&Dialer{Header: header}).Dial(ctx, rawURL)
}

// Dialer opens client connections with more choices than Dial: the same
// handshake, plus an offer of permessage-deflate. The zero Dialer is Dial.
type Dialer struct {
	// Header is the extra header of the handshake, as Dial's header.
	Header http.Header
	// Compression, if not nil, offers permessage-deflate (RFC 7692) on
	// these terms. The server may decline it; Dial then succeeds without.
	Compression *Compression
}

// Dial is Dial with the Dialer's header and offers.
func (dl *Dialer) Dial(ctx context.Context, rawURL string) (*Conn, *http.Response, error) {
	header := dl.Header
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, err
	}
	addr, useTLS, err := dialAddr(u)
	if err != nil {
		return nil, nil, err
	}
	host, err := checkDialHeader(header, u.Host)
	if err != nil {
		return nil, nil, err
	}
	var d net.Dialer
	netConn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	// Until the handshake is done, a cancelled ctx breaks every read and
	// write at once: the deadline moves into the past.
	stop := context.AfterFunc(ctx, func() { netConn.SetDeadline(time.Unix(1, 0)) })
	c, resp, err := handshakeClient(ctx, netConn, u, host, useTLS, header, dl.Compression)
	if !stop() && err == nil {
		c.Close()
		return nil, nil, ctx.Err()
	}
	if err != nil {
		netConn.Close()
		if ctx.Err() != nil {
			return nil, resp, ctx.Err()
		}
		return nil, resp, err
	}
	netConn.SetDeadline(time.Time{})
	return c, resp, nil
}

// ANCHOR_END: dial

// handshakeClient sends the opening handshake on netConn and reads the
// answer. The caller closes netConn on an error.
func handshakeClient(ctx context.Context, netConn net.Conn, u *url.URL, host string, useTLS bool, header http.Header, compression *Compression) (*Conn, *http.Response, error) {
	if deadline, ok := ctx.Deadline(); ok {
		netConn.SetDeadline(deadline)
	} else {
		netConn.SetDeadline(time.Now().Add(handshakeTimeout))
	}
	conn := netConn
	if useTLS {
		tc := tls.Client(netConn, &tls.Config{ServerName: u.Hostname()})
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, nil, err
		}
		conn = tc
	}

	var raw [16]byte
	_, _ = rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])

	var req strings.Builder
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\n", u.RequestURI())
	fmt.Fprintf(&req, "Host: %s\r\n", host)
	req.WriteString("Upgrade: websocket\r\nConnection: Upgrade\r\n")
	fmt.Fprintf(&req, "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n", key)
	if compression != nil {
		fmt.Fprintf(&req, "Sec-WebSocket-Extensions: %s\r\n", compression.offer())
	}
	for name, values := range header {
		if http.CanonicalHeaderKey(name) == "Host" {
			continue
		}
		for _, v := range values {
			fmt.Fprintf(&req, "%s: %s\r\n", name, v)
		}
	}
	req.WriteString("\r\n")
	if _, err := conn.Write([]byte(req.String())); err != nil {
		return nil, nil, err
	}

	// A server that never ends its headers must not grow our memory: the
	// response may be maxResponseBytes long, frames after it come straight
	// from the connection.
	limited := &io.LimitedReader{R: conn, N: maxResponseBytes}
	br := bufio.NewReader(limited)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := checkResponse(resp, key, header, compression != nil); err != nil {
		return nil, resp, err
	}
	var deflate *deflateState
	if compression != nil {
		params, on, err := compression.acceptResponse(resp.Header)
		if err != nil {
			return nil, resp, err
		}
		if on {
			deflate = newDeflateState(params, compression, true)
		}
	}
	var pending []byte
	if n := br.Buffered(); n > 0 {
		pending, _ = br.Peek(n)
		pending = append([]byte(nil), pending...)
	}
	c := newConn(conn, pending, true)
	c.deflate = deflate
	return c, resp, nil
}

// ANCHOR: check-response

// checkResponse applies the client's checks of §4.1: status 101, Upgrade
// and Connection headers, the accept value for our key, and no extension or
// subprotocol that we did not offer ("the client MUST Fail the WebSocket
// Connection"). The one extension this Conn implements is
// permessage-deflate, which acceptResponse checks when it was offered.
func checkResponse(resp *http.Response, key string, offered http.Header,
	offeredDeflate bool) error {
	protocols := resp.Header.Values("Sec-WebSocket-Protocol")
	switch {
	case resp.StatusCode != http.StatusSwitchingProtocols:
		return fmt.Errorf("websocket: server answered %s, not 101 Switching Protocols",
			resp.Status)
	case !hasToken(resp.Header, "Upgrade", "websocket"):
		return errors.New(`websocket: response lacks "Upgrade: websocket"`)
	case !hasToken(resp.Header, "Connection", "upgrade"):
		return errors.New(`websocket: response lacks "Connection: Upgrade"`)
	case resp.Header.Get("Sec-WebSocket-Accept") != AcceptKey(key):
		return ErrBadAccept
	case !offeredDeflate && len(resp.Header.Values("Sec-WebSocket-Extensions")) > 0:
		return fmt.Errorf("websocket: server chose extension %q, which was not offered",
			resp.Header.Get("Sec-WebSocket-Extensions"))
	case len(protocols) > 1 ||
		(len(protocols) == 1 && !offers(offered, "Sec-WebSocket-Protocol", protocols[0])):
		return fmt.Errorf("websocket: server chose subprotocol %q, which was not offered",
			strings.Join(protocols, ", "))
	}
	return nil
}

// ANCHOR_END: check-response

// offers reports whether the caller's header lists token under name. The
// caller may have written the name in any case ("Sec-WebSocket-Protocol"
// is not Go's canonical form), so keys are compared without case.
func offers(h http.Header, name, token string) bool {
	for k, values := range h {
		if !strings.EqualFold(k, name) {
			continue
		}
		for _, v := range values {
			for t := range strings.SplitSeq(v, ",") {
				if strings.TrimSpace(t) == token {
					return true
				}
			}
		}
	}
	return false
}

// maxResponseBytes bounds the server's handshake response: status line and
// headers. net/http allows a server's request 1 MiB; a 101 is a few hundred
// bytes.
const maxResponseBytes = 16 << 10

// ANCHOR: dial-header

// reservedHeaders are the handshake's own headers, which Dial writes itself.
var reservedHeaders = []string{"Upgrade", "Connection", "Sec-Websocket-Key",
	"Sec-Websocket-Version", "Sec-Websocket-Extensions"}

// checkDialHeader refuses an extra header that would break the request: a
// name or value with bytes HTTP forbids (a CR LF in a value would start a
// header of its own), or one of the handshake's own headers. It returns the
// Host to send: the URL's, unless the header sets one.
func checkDialHeader(header http.Header, urlHost string) (string, error) {
	for name, values := range header {
		if !validHeaderName(name) {
			return "", fmt.Errorf("websocket: invalid header name %q", name)
		}
		for _, v := range values {
			if !validHeaderValue(v) {
				return "", fmt.Errorf("websocket: invalid value for header %s: %q",
					name, v)
			}
		}
		if slices.Contains(reservedHeaders, http.CanonicalHeaderKey(name)) {
			return "", fmt.Errorf("websocket: Dial writes the %s header itself", name)
		}
	}
	if h := header.Get("Host"); h != "" {
		return h, nil
	}
	return urlHost, nil
}

// ANCHOR_END: dial-header

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

// validHeaderName reports whether name is an HTTP token (RFC 9110 §5.1:
// letters, digits and !#$%&'*+-.^_`|~), as a header name must be.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r >= 0x80 || !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether v may be a header value (RFC 9110
// §5.5): no control characters but the tab, so no CR and no LF.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < ' ' && b != '\t' || b == 0x7F {
			return false
		}
	}
	return true
}
