package main

import (
	"cmp"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
	"golang.org/x/net/websocket"
)

// ANCHOR: constants
const (
	// maxMessageSize is the largest frame we read unless -max-message says
	// otherwise: 1 MiB. x/net's default is
	// 32 MiB; a bigger frame is refused with close code 1009.
	maxMessageSize = 1 << 20

	// pongWait is how long a peer may stay silent: every whole frame that
	// arrives, a pong included, moves the read deadline this far ahead.
	pongWait = 60 * time.Second

	// pingPeriod is how often we ping, shorter than pongWait so that a live
	// peer always has time to answer. x/net never pings by itself.
	pingPeriod = 30 * time.Second

	// writeWait bounds every write, x/net's own pongs included, so a peer
	// that stops reading cannot hold the handler for ever.
	writeWait = 10 * time.Second
)

// Close codes of RFC 6455 §7.4.1 that this server sends.
const (
	closeNormal          = 1000
	closeGoingAway       = 1001
	closeProtocolError   = 1002
	closeInvalidData     = 1007
	closePolicyViolation = 1008
	closeTooBig          = 1009
)

// ANCHOR_END: constants

// ANCHOR: echo

// echo is the WebSocket handler: receive a message, send it back, until the
// peer goes away. x/net's Receive reads one frame (not one message) and
// answers pings by itself; it does not check UTF-8 or opcodes, does not
// reply to a close frame, and on a frame over MaxPayloadBytes returns
// ErrFrameTooLarge without telling the peer. Each of those is handled
// here, with the close code RFC 6455 asks for, and the assembler puts
// fragments back together into messages. The deadlines, and the rule that nothing follows
// our close frame, are kept by the wire underneath (wire.go).
func (s *echoServer) echo(ws *websocket.Conn, w *wire) {
	ws.MaxPayloadBytes = cmp.Or(s.maxMessage, maxMessageSize)
	w.startFrames()
	c := &conn{ws: ws, wire: w, remote: ws.Request().RemoteAddr}
	done := s.tracker.Track(c.goingAway)
	defer done()
	defer keepalive(ws, w, cmp.Or(s.pingPeriod, pingPeriod))()

	a := &assembler{limit: ws.MaxPayloadBytes}
	for {
		var m message
		err := typed.Receive(ws, &m)
		if errors.Is(err, websocket.ErrFrameTooLarge) {
			c.fail(closeTooBig, "message over "+size(ws.MaxPayloadBytes))
			return
		}
		if err != nil {
			c.ended(err)
			return
		}
		f, ok := w.in.nextData()
		if !ok {
			c.fail(closePolicyViolation, "too many frames queued")
			return
		}
		kind, msg, done, bad := a.add(f, m.data)
		if bad != nil {
			c.fail(bad.code, bad.reason)
			return
		}
		if !done {
			continue // a fragment: wait for the rest of the message
		}
		if kind == websocket.TextFrame && s.prefix != nil {
			msg = append(append([]byte(nil), s.prefix...), msg...)
		}
		if err := typed.Send(ws, message{payloadType: kind, data: msg}); err != nil {
			c.ended(err)
			return
		}
	}
}

// ANCHOR_END: echo

// conn is one connection as the handler sees it.
type conn struct {
	ws     *websocket.Conn
	wire   *wire
	remote string      // the peer's address, for the log
	said   atomic.Bool // we have sent, or tried to send, a close frame
}

// close sends a close frame with code and reason. The wire lets only the
// first close frame out, and nothing after it.
func (c *conn) close(code int, reason string) error {
	c.said.Store(true)
	return closing.Send(c.ws, closeFrame{code: code, reason: reason})
}

// ANCHOR: goodbye

// goingAway is the shutdown goodbye, called from another goroutine: close
// 1001, written within serve.GoodbyeWait. The cap applies to the write in
// progress too, so an echo blocked on a peer that stopped reading gives up
// the connection in time; if our close cannot go out by then, we hang up.
func (c *conn) goingAway() {
	c.wire.capWrites(time.Now().Add(serve.GoodbyeWait))
	if err := c.close(closeGoingAway, "server shutting down"); err != nil {
		_ = c.wire.Close()
	}
}

// ANCHOR_END: goodbye

// fail closes because of bad input, then waits for the peer's close so that
// our close frame is read before the socket goes (see policy.Drain).
func (c *conn) fail(code int, reason string) {
	serve.LogFailed(c.remote, code, reason)
	_ = c.close(code, reason)
	policy.Drain(c.ws)
}

// size writes a byte count for the log: "1 MiB" when it is a whole number
// of MiB, else bytes.
func size(n int) string {
	if n > 0 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
