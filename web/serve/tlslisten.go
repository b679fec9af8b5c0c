package serve

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"time"
)

// ANCHOR: listen

// tlsListen wraps ln so that every connection speaks TLS with config. It
// goes under the Server's Listen hook, so a tap or a byte meter sees the
// plaintext: the frame inspector still shows frames over wss://. The
// handshake runs in the connection's first Read, under the read deadline
// net/http sets for the request's headers (ReadHeaderTimeout): a client
// that opens a connection and never finishes its ClientHello is dropped
// like one that never finishes its request.
func tlsListen(ln net.Listener, config *tls.Config) net.Listener {
	return &tlsListener{Listener: tls.NewListener(ln, config)}
}

// ANCHOR_END: listen

type tlsListener struct{ net.Listener }

// Accept returns the next connection, not yet handshaken.
func (l *tlsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &tlsConn{Conn: c.(*tls.Conn)}, nil
}

// tlsConn is a server's TLS connection that answers a client speaking
// plain HTTP (http:// or ws:// to an https:// port) in plain HTTP, as
// net/http does when it runs TLS itself, instead of closing on it silently.
type tlsConn struct {
	*tls.Conn
	answered atomic.Bool
}

// plainHTTPAnswer is net/http's own answer to plain HTTP on a TLS port.
const plainHTTPAnswer = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"

// Read reads, running the handshake on the first call. A first record
// that is not TLS but looks like an HTTP request gets plainHTTPAnswer,
// written on the raw connection.
func (c *tlsConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	var rhe tls.RecordHeaderError
	if err != nil && errors.As(err, &rhe) && rhe.Conn != nil && looksLikeHTTP(rhe.RecordHeader[:]) && c.answered.CompareAndSwap(false, true) {
		// A client that does not read cannot hold us: the answer is
		// small, and bounded in time like a goodbye.
		_ = rhe.Conn.SetWriteDeadline(time.Now().Add(GoodbyeWait))
		_, _ = io.WriteString(rhe.Conn, plainHTTPAnswer)
	}
	return n, err
}

// looksLikeHTTP reports whether the first five bytes a client sent begin
// an HTTP/1 request line.
func looksLikeHTTP(head []byte) bool {
	switch string(head) {
	case "GET /", "HEAD ", "POST ", "PUT /", "OPTIO", "DELET", "PATCH", "CONNE", "TRACE":
		return true
	}
	return false
}
