package handshake

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// handshakeTimeout bounds writing the 101 response.
const handshakeTimeout = 10 * time.Second

// Options configures Upgrade.
type Options struct {
	// AllowOrigin decides whether a request's Origin may connect. Nil means
	// SameOrigin: no Origin header, or an Origin whose host:port is the
	// request's Host. (The workbook's servers pass web/policy's Origins,
	// which can admit more origins from -allow-origin.)
	AllowOrigin func(r *http.Request) bool
	// MaxMessageSize is the largest message the Conn accepts;
	// 0 (or less) means DefaultMaxMessageSize, as for SetMaxMessageSize.
	MaxMessageSize int
	// PingPeriod and PongWait configure the Conn's keepalive (see
	// SetKeepalive). Zero means DefaultPingPeriod and DefaultPongWait; a
	// negative PongWait turns keepalive off.
	PingPeriod, PongWait time.Duration
	// Compression, if not nil, accepts a client's offer of
	// permessage-deflate (RFC 7692) on these terms. Nil declines every
	// offer: the 101 names no extension, and frames with RSV1 fail with 1002.
	Compression *Compression
}

// allowOrigin returns the origin policy: the option, or the default.
func (o *Options) allowOrigin() func(*http.Request) bool {
	if o.AllowOrigin != nil {
		return o.AllowOrigin
	}
	return SameOrigin
}

// HandshakeError is a refused handshake: the status Upgrade answered with,
// and why.
type HandshakeError struct {
	Status int
	Reason string
}

// Error describes the refusal.
func (e *HandshakeError) Error() string {
	return fmt.Sprintf("websocket: handshake refused with %d: %s", e.Status, e.Reason)
}

// ANCHOR: checks

// checkRequest applies the server's checks of RFC 6455 §4.2.1 in the RFC's
// order, and returns the first one that fails, or nil. Host (item 2) is
// already required by net/http for HTTP/1.1.
func checkRequest(r *http.Request, allowOrigin func(*http.Request) bool) *HandshakeError {
	switch {
	case r.Method != http.MethodGet:
		return &HandshakeError{http.StatusMethodNotAllowed,
			"a WebSocket handshake is a GET request"}
	case r.ContentLength != 0 || len(r.TransferEncoding) > 0:
		// A body's bytes would sit where the first frame belongs, and be
		// read as frames. §4.1 sends none; net/http would read it for us.
		return &HandshakeError{http.StatusBadRequest,
			"a WebSocket handshake request has no body"}
	case !r.ProtoAtLeast(1, 1) || r.ProtoMajor != 1:
		return &HandshakeError{http.StatusBadRequest,
			"a WebSocket handshake needs HTTP/1.1"}
	case !hasToken(r.Header, "Upgrade", "websocket"):
		return &HandshakeError{http.StatusBadRequest,
			`the Upgrade header must contain "websocket"`}
	case !hasToken(r.Header, "Connection", "upgrade"):
		return &HandshakeError{http.StatusBadRequest,
			`the Connection header must contain "Upgrade"`}
	case !validKey(r.Header.Values("Sec-WebSocket-Key")):
		return &HandshakeError{http.StatusBadRequest,
			"Sec-WebSocket-Key must be the base64 of 16 bytes"}
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return &HandshakeError{http.StatusUpgradeRequired,
			"only Sec-WebSocket-Version 13 is supported"}
	case !allowOrigin(r):
		return &HandshakeError{http.StatusForbidden,
			"cross-origin request from " + r.Header.Get("Origin")}
	}
	return nil
}

// ANCHOR_END: checks

// hasToken reports whether a comma-separated header contains token, in any
// case: "Connection: keep-alive, Upgrade" has "upgrade".
func hasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// validKey reports whether there is exactly one key and it is the base64 of
// 16 bytes (§4.1: a randomly selected 16-byte value, base64-encoded).
func validKey(keys []string) bool {
	if len(keys) != 1 {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(keys[0])
	return err == nil && len(raw) == 16
}

// ANCHOR: upgrade

// Upgrade answers the opening handshake in r (RFC 6455 §4.2) and returns
// the connection. A request that fails a check is answered with its status
// and a plain-text reason, and Upgrade returns a *HandshakeError. On success
// Upgrade takes the TCP connection from net/http (http.Hijacker) and writes
// the 101 response itself, byte by byte:
//
//	HTTP/1.1 101 Switching Protocols
//	Upgrade: websocket
//	Connection: Upgrade
//	Sec-WebSocket-Accept: <AcceptKey of the client's key>
//	Sec-WebSocket-Extensions: permessage-deflate; ...  (if Compression accepted)
//
// A request that came over HTTP/2 is RFC 8441's extended CONNECT instead
// (see upgradeStream in h2.go): the answer is 200, and the Conn runs on the
// request's stream, which ends when the handler returns; so over HTTP/2
// the handler must use the Conn before it returns, not hand it on.
func Upgrade(w http.ResponseWriter, r *http.Request, opts *Options) (*Conn, error) {
	if opts == nil {
		opts = &Options{}
	}
	if r.ProtoMajor == 2 {
		return upgradeStream(w, r, opts)
	}
	if herr := checkRequest(r, opts.allowOrigin()); herr != nil {
		switch herr.Status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", http.MethodGet)
		case http.StatusUpgradeRequired:
			w.Header().Set("Sec-WebSocket-Version", "13")
		}
		http.Error(w, herr.Reason, herr.Status)
		return nil, herr
	}

	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "this server cannot take over connections",
			http.StatusInternalServerError)
		return nil, &HandshakeError{http.StatusInternalServerError,
			"the ResponseWriter is not an http.Hijacker"}
	}
	netConn, brw, err := hj.Hijack()
	if err != nil {
		return nil, err
	}
	// A client may send its first frame right behind the handshake; net/http
	// may have read it already. Keep those bytes, let the 4 KiB buffer go.
	var pending []byte
	if n := brw.Reader.Buffered(); n > 0 {
		pending, _ = brw.Reader.Peek(n)
		pending = append([]byte(nil), pending...)
	}

	var resp [160]byte
	b := append(resp[:0], "HTTP/1.1 101 Switching Protocols\r\n"+
		"Upgrade: websocket\r\n"+
		"Connection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "...)
	b = append(b, AcceptKey(r.Header.Get("Sec-WebSocket-Key"))...)
	var deflate *deflateState
	if opts.Compression != nil {
		b, deflate = appendExtensions(b, r, opts.Compression)
	}
	b = append(b, "\r\n\r\n"...)
	netConn.SetWriteDeadline(time.Now().Add(handshakeTimeout))
	if _, err := netConn.Write(b); err != nil {
		netConn.Close()
		return nil, err
	}
	// Deadlines set before the hijack (ours, or the HTTP server's) would
	// cut the WebSocket off later: from here on the Conn sets its own.
	netConn.SetDeadline(time.Time{})

	c := newConn(netConn, pending, false)
	c.deflate = deflate
	c.SetMaxMessageSize(opts.MaxMessageSize)
	c.SetKeepalive(cmp.Or(opts.PingPeriod, DefaultPingPeriod),
		cmp.Or(opts.PongWait, DefaultPongWait))
	return c, nil
}

// ANCHOR_END: upgrade

// ANCHOR: same-origin

// SameOrigin is Upgrade's default origin check (RFC 6455 §10.2). A browser
// always sends Origin on a WebSocket handshake, so a request without one
// is not from a web page and has no cross-site page to fear; a request
// with one is admitted only if the page came from this very host:port.
// Anything else, "null" included, is cross-site WebSocket hijacking.
func SameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// ANCHOR_END: same-origin
