package policy

import (
	"io"
	"time"
)

// CloseGrace is how long a server that has sent a close frame waits for the
// peer to answer before it closes the TCP connection anyway.
const CloseGrace = 2 * time.Second

// DeadlineReader is a connection that can be read with a deadline: a
// net.Conn, or an x/net *websocket.Conn.
type DeadlineReader interface {
	io.Reader
	SetReadDeadline(t time.Time) error
}

// Drain half-closes the connection and reads and discards whatever the peer
// still sends, until it closes too or CloseGrace passes. Call it after
// sending a close frame because of bad input (1002, 1007, 1009), before
// closing the socket.
//
// Why: if a socket is closed while unread bytes wait in its receive buffer
// (the rest of a too-big message, say), the kernel answers with a TCP reset
// instead of an orderly FIN, and a reset can destroy our close frame before
// the peer reads it. So we send our FIN first (CloseWrite, when the
// connection has it): the peer reads our close frame, then end of stream,
// and hangs up, which ends the drain at once. RFC 6455 §7.1.1 has the server
// close TCP first; the FIN is that close, for our direction.
func Drain(c DeadlineReader) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	if err := c.SetReadDeadline(time.Now().Add(CloseGrace)); err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, c)
}
