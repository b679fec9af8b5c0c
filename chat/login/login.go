// Package login is the client side of the chat's tickets, in the chapter
// "Past one machine": what the chat page does before it opens a socket,
// for Go programs (the tests, chat/say, chat/fanout). GET / starts an
// anonymous session (a cookie), POST /ticket with that cookie answers a
// single-use ticket, and the handshake carries it: /ws?ticket=TICKET.
package login

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// maxTicket is the most of a /ticket answer read: a ticket is 43 bytes.
const maxTicket = 1 << 10

// Base returns the chat's HTTP base URL for its socket's URL:
// ws://HOST:PORT/ws gives http://HOST:PORT, wss:// gives https://.
func Base(wsURL string) (string, error) {
	u, err := url.Parse(wsURL)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "ws":
		u.Scheme = "http"
	case "wss":
		u.Scheme = "https"
	default:
		return "", fmt.Errorf("%q is not a ws:// or wss:// URL", wsURL)
	}
	u.Path, u.RawQuery, u.Fragment = strings.TrimSuffix(u.Path, "/ws"), "", ""
	return u.String(), nil
}

// Client returns an HTTP client with a cookie jar of its own (one
// session) that trusts what d trusts.
func Client(d *websocket.Dialer) *http.Client {
	jar, _ := cookiejar.New(nil) // never fails without options
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if d != nil && d.TLSClientConfig != nil {
		tr.TLSClientConfig = d.TLSClientConfig.Clone()
	}
	return &http.Client{Jar: jar, Transport: tr, Timeout: handshakeTimeout(d)}
}

// Ticket asks the chat at base for a ticket: GET / first if the client's
// jar holds no session cookie for it, then POST /ticket. A session the
// chat no longer knows (expired, or its NATS started afresh) gets 401:
// then GET / starts a new one, and POST /ticket is asked once more.
// header's Origin, if any, goes with every request, as a page's would.
func Ticket(ctx context.Context, hc *http.Client, base string, header http.Header) (string, error) {
	u, err := url.Parse(base + "/")
	if err != nil {
		return "", err
	}
	if hc.Jar == nil || len(hc.Jar.Cookies(u)) == 0 {
		if _, _, err := send(ctx, hc, http.MethodGet, base+"/", header); err != nil {
			return "", err
		}
	}
	t, status, err := send(ctx, hc, http.MethodPost, base+"/ticket", header)
	if status == http.StatusUnauthorized && hc.Jar != nil {
		if _, _, err := send(ctx, hc, http.MethodGet, base+"/", header); err != nil {
			return "", err
		}
		t, _, err = send(ctx, hc, http.MethodPost, base+"/ticket", header)
	}
	return t, err
}

// send makes one request and returns its body and status, with an error
// that holds both if the status is not 200.
func send(ctx context.Context, hc *http.Client, method, url string, header http.Header,
) (body string, status int, err error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return "", 0, err
	}
	if o := header.Get("Origin"); o != "" {
		req.Header.Set("Origin", o)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTicket))
	if err != nil {
		return "", resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusOK {
		return "", resp.StatusCode, fmt.Errorf("%s %s: %s: %s",
			method, url, resp.Status, strings.TrimSpace(string(data)))
	}
	return string(data), resp.StatusCode, nil
}

// Dial opens a chat socket at wsURL with d (websocket.DefaultDialer if
// nil), in a session of its own: a ticket first, then the handshake with
// ?ticket=. The response is the handshake's, as d.DialContext returns it.
func Dial(ctx context.Context, d *websocket.Dialer, wsURL string, header http.Header) (*websocket.Conn, *http.Response, error) {
	if d == nil {
		d = websocket.DefaultDialer
	}
	base, err := Base(wsURL)
	if err != nil {
		return nil, nil, err
	}
	t, err := Ticket(ctx, Client(d), base, header)
	if err != nil {
		return nil, nil, fmt.Errorf("getting a ticket: %w", err)
	}
	return d.DialContext(ctx, WithTicket(wsURL, t), header)
}

// WithTicket returns wsURL with ?ticket=t.
func WithTicket(wsURL, t string) string {
	sep := "?"
	if strings.Contains(wsURL, "?") {
		sep = "&"
	}
	return wsURL + sep + "ticket=" + url.QueryEscape(t)
}

// handshakeTimeout is d's, or 0 (no limit but the context's).
func handshakeTimeout(d *websocket.Dialer) time.Duration {
	if d != nil {
		return d.HandshakeTimeout
	}
	return 0
}
