package main

import (
	"errors"
	"io"
	"os"

	"github.com/websocket-in-go/workbook/web/serve"
)

// closeAbnormal is the code of RFC 6455 §7.4.1 for a connection that ended
// without a close frame. It is never sent; it is what the log says.
const closeAbnormal = 1006

// ANCHOR: ended

// ended handles the error that ended the echo loop. A peer's close frame is
// answered with ours (§5.5.1; x/net hides the peer's code, so we answer
// 1000), and is no failure. Anything else is logged as one: a peer that
// vanished or stopped reading, a connection reset, or the close 1002 that
// x/net sends by itself for a frame the client did not mask.
func (c *conn) ended(err error) {
	closeSent, writeErr := c.wire.state()
	switch {
	case c.wire.peerClosed():
		_ = c.close(closeNormal, "")
	case writeErr != nil:
		serve.LogFailed(c.remote, closeAbnormal, "write failed (has the peer stopped reading?): "+writeErr.Error())
	case errors.Is(err, os.ErrDeadlineExceeded) && closeSent:
		serve.LogFailed(c.remote, closeAbnormal, "no close frame in answer to ours")
	case errors.Is(err, os.ErrDeadlineExceeded):
		serve.LogFailed(c.remote, closeAbnormal, "no frame within pongWait")
	case errors.Is(err, io.EOF) && closeSent && !c.said.Load():
		serve.LogFailed(c.remote, closeProtocolError, "frame not masked")
	case errors.Is(err, io.EOF):
		serve.LogFailed(c.remote, closeAbnormal, "connection closed without a close frame")
	default:
		serve.LogFailed(c.remote, closeAbnormal, err.Error())
	}
}

// ANCHOR_END: ended
