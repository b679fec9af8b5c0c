package handshake

import (
	"cmp"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// ANCHOR: h2-checks

// checkStreamRequest applies RFC 8441 §5's checks to an HTTP/2 request, in
// the order of checkRequest. The request is an extended CONNECT (§4): the
// method CONNECT with the pseudo-header :protocol, which Go's HTTP/2 server
// hands the handler as r.Header[":protocol"]. There is no Upgrade, no
// Connection and no Sec-WebSocket-Key: "that functionality has been
// superseded by the :protocol pseudo-header field". The version and the
// origin are checked as over HTTP/1.1.
func checkStreamRequest(r *http.Request,
	allowOrigin func(*http.Request) bool) *HandshakeError {
	switch {
	case r.Method != http.MethodConnect:
		return &HandshakeError{http.StatusMethodNotAllowed,
			"over HTTP/2 a WebSocket handshake is an extended CONNECT (RFC 8441 §4)"}
	case r.Header.Get(":protocol") != "websocket":
		return &HandshakeError{http.StatusBadRequest,
			`the :protocol pseudo-header must be "websocket" (RFC 8441 §5)`}
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return &HandshakeError{http.StatusUpgradeRequired,
			"only Sec-WebSocket-Version 13 is supported"}
	case !allowOrigin(r):
		return &HandshakeError{http.StatusForbidden,
			"cross-origin request from " + r.Header.Get("Origin")}
	}
	return nil
}

// ANCHOR_END: h2-checks

// ANCHOR: upgrade-stream

// upgradeStream is Upgrade for a request that came over HTTP/2 (RFC 8441).
// Nothing is hijacked: the WebSocket is this request's stream, read from
// r.Body and written through w, and it lives as long as the handler. The
// answer is a plain 200 with no Sec-WebSocket-Accept.
func upgradeStream(w http.ResponseWriter, r *http.Request, opts *Options) (*Conn, error) {
	if herr := checkStreamRequest(r, opts.allowOrigin()); herr != nil {
		switch herr.Status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", http.MethodConnect)
		case http.StatusUpgradeRequired:
			w.Header().Set("Sec-WebSocket-Version", "13")
		}
		http.Error(w, herr.Reason, herr.Status)
		return nil, herr
	}
	// The server's ReadTimeout and WriteTimeout apply to every stream, and
	// a WebSocket is one long request: clear them, as Upgrade clears the
	// deadlines of a hijacked connection. A ResponseWriter that cannot
	// (wrapped without Unwrap) cannot carry a WebSocket either.
	rc := http.NewResponseController(w)
	if err := cmp.Or(rc.SetReadDeadline(time.Time{}),
		rc.SetWriteDeadline(time.Time{})); err != nil {
		http.Error(w, "this server cannot carry a WebSocket on an HTTP/2 stream",
			http.StatusInternalServerError)
		return nil, &HandshakeError{http.StatusInternalServerError,
			"the ResponseWriter cannot set deadlines: " + err.Error()}
	}
	var deflate *deflateState
	if p, response, ok := negotiateServer(r, opts.Compression); ok {
		w.Header().Set("Sec-WebSocket-Extensions", response)
		deflate = newDeflateState(p, opts.Compression, false)
	}
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil { // the HEADERS frame goes out now
		return nil, err
	}

	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	body := r.Body
	stream := newStreamConn(body, w, rc.Flush,
		// A write deadline in the past makes Go's HTTP/2 server reset the
		// stream (RST_STREAM), which unblocks a write waiting for window.
		func() { rc.SetWriteDeadline(time.Unix(1, 0)) },
		func() { body.Close() },
		local, tcpAddr(r.RemoteAddr))
	c := newConn(stream, nil, false)
	c.deflate = deflate
	c.SetMaxMessageSize(opts.MaxMessageSize)
	c.SetKeepalive(cmp.Or(opts.PingPeriod, DefaultPingPeriod),
		cmp.Or(opts.PongWait, DefaultPongWait))
	return c, nil
}

// ANCHOR_END: upgrade-stream

// ANCHOR: xconnect

// xconnect is what net/http decided when it started: it reads GODEBUG once,
// in an init function (h2_bundle.go), with this very test. Package
// handshake imports net/http, so this runs after that and sees the same
// environment.
var xconnect = strings.Contains(os.Getenv("GODEBUG"), "http2xconnect=1")

// ExtendedConnectEnabled reports whether this process's net/http HTTP/2
// server accepts extended CONNECT, and so advertises
// SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3) to every client. Go 1.24
// to 1.26 do so only with GODEBUG=http2xconnect=1 in the environment when
// the program starts (golang/go#71128): os.Setenv later changes nothing,
// and a //go:debug line is refused ("unknown //go:debug setting"). Without
// it a browser sends its WebSockets over HTTP/1.1, on a connection of
// their own.
func ExtendedConnectEnabled() bool { return xconnect }

// ANCHOR_END: xconnect
