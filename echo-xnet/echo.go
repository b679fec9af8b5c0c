package main

import (
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/websocket-in-go/workbook/web/serve"
	"golang.org/x/net/websocket"
)

// ANCHOR: constants
const (
	// maxMessageSize is the largest frame we read: 1 MiB. x/net's default is
	// 32 MiB; a bigger frame is refused with close code 1009.
	maxMessageSize = 1 << 20

	// writeWait bounds every write, so a peer that stops reading cannot
	// hold the handler forever.
	writeWait = 10 * time.Second
)

// Close codes of RFC 6455 §7.4.1 that this server sends.
const (
	closeNormal        = 1000
	closeGoingAway     = 1001
	closeProtocolError = 1002
	closeInvalidData   = 1007
	closeTooBig        = 1009
)

// ANCHOR_END: constants

// ANCHOR: echo

// echo is the WebSocket handler: receive a message, send it back, until the
// peer goes away. x/net's Receive reads one frame and answers pings by
// itself; it does not check UTF-8 or opcodes, does not reply to a close
// frame, and on a frame over MaxPayloadBytes returns ErrFrameTooLarge
// without telling the peer. Each of those is handled here, with the close
// code RFC 6455 asks for.
func echo(ws *websocket.Conn, tracker *serve.Server) {
	ws.MaxPayloadBytes = maxMessageSize
	c := &conn{ws: ws}
	done := tracker.Track(func() { c.close(closeGoingAway, "server shutting down") })
	defer done()

	for {
		var m message
		err := typed.Receive(ws, &m)
		if errors.Is(err, websocket.ErrFrameTooLarge) {
			c.fail(closeTooBig, "message over 1 MiB")
			return
		}
		if err != nil {
			// The peer sent a close frame (x/net hides its code) or the
			// connection broke. Answer a close with a close (§5.5.1).
			c.close(closeNormal, "")
			return
		}
		// x/net hands over frames with reserved opcodes (3–7, 11–15) as
		// if they were data. RFC 6455 §5.2 says: fail the connection.
		if m.payloadType != websocket.TextFrame && m.payloadType != websocket.BinaryFrame {
			c.fail(closeProtocolError, "reserved opcode")
			return
		}
		if m.payloadType == websocket.TextFrame {
			if !utf8.Valid(m.data) {
				c.fail(closeInvalidData, "text message is not valid UTF-8")
				return
			}
			m.data = append([]byte("Received: "), m.data...)
		}
		ws.SetWriteDeadline(time.Now().Add(writeWait))
		if err := typed.Send(ws, m); err != nil {
			return
		}
	}
}

// ANCHOR_END: echo

// conn remembers whether we have sent a close frame: RFC 6455 §5.5.1 allows
// one per connection, and shutdown may race with a peer's own close.
type conn struct {
	ws   *websocket.Conn
	once sync.Once
}

// close sends a close frame with code and reason, once.
func (c *conn) close(code int, reason string) {
	c.once.Do(func() {
		c.ws.SetWriteDeadline(time.Now().Add(writeWait))
		_ = closing.Send(c.ws, closeFrame{code: code, reason: reason})
	})
}

// fail closes because of bad input, then waits for the peer's close so that
// our close frame is read before the socket goes (see serve.Drain).
func (c *conn) fail(code int, reason string) {
	c.close(code, reason)
	serve.Drain(c.ws)
}
