package handshake

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// ANCHOR: fail

// fail fails the WebSocket connection (§7.1.7): send a close frame with the
// fault's code, let the peer read it (see drain: closing a socket with
// unread input resets it and can destroy our frame), then close TCP.
func (c *Conn) fail(fault *CloseError) error {
	var body [maxControlPayload]byte
	_ = c.writeClose(appendCloseBody(body[:0], fault.Code, fault.Reason))
	c.drain()
	c.Close()
	return fault
}

// ANCHOR_END: fail

// ANCHOR: close-with

// CloseWith runs the closing handshake (§7.1.2) and closes the connection:
// it sends a close frame with code and reason, waits for the peer's close
// (CloseGrace at most), then closes TCP. Meanwhile it answers nothing
// else: no pong, no message. It is safe to call from any goroutine, also
// while another is in ReadMessage, which then returns the peer's close; if
// nobody is reading, CloseWith reads the answer itself (a ReadMessage
// started meanwhile waits for it, and returns the same ending). A writer that holds
// the connection for longer than controlWait (a peer that stopped reading)
// costs the goodbye: CloseWith then closes TCP without one.
func (c *Conn) CloseWith(code int, reason string) error {
	if !validCloseCode(code) {
		return fmt.Errorf("websocket: close code %d may not be sent (RFC 6455 §7.4)",
			code)
	}
	var body [maxControlPayload]byte
	err := c.writeClose(appendCloseBody(body[:0], code, reason))
	if err == nil {
		c.awaitClose()
	}
	c.Close()
	return err
}

// ANCHOR_END: close-with

// awaitClose waits until the reading side has ended (the peer's close
// arrived, or the connection broke), CloseGrace at most: the read
// deadline ends any read after that. If no one is reading, ReadMessage here
// reads the answer itself (it drops data after our close, so it returns
// only when reading ends); if someone is, it waits for their ending.
func (c *Conn) awaitClose() {
	c.draining.Store(true)
	c.conn.SetReadDeadline(time.Now().Add(CloseGrace))
	for {
		// Data after our close is dropped inside ReadMessage, so this
		// returns only when reading ends; errConcurrentRead means another
		// reader finished a message just before our close: read on.
		if _, _, err := c.ReadMessage(); err != nil && !errors.Is(err, errConcurrentRead) {
			return
		}
	}
}

// Close closes the TCP connection at once, with no closing handshake. It
// may be called from any goroutine, to unblock a reader or a writer; a
// ReadMessage in progress returns an error, and so does every later one.
func (c *Conn) Close() error {
	return c.conn.Close()
}

// CloseGrace is how long a Conn that has sent a close frame waits for the
// peer's close (RFC 6455 §7.1.1) before it closes TCP anyway.
const CloseGrace = 2 * time.Second

// ANCHOR: drain

// drain half-closes the connection and discards what the peer still sends,
// until it closes too or CloseGrace passes. Why: a socket closed with unread
// bytes in its receive buffer (the rest of a too-big message, say) answers
// with a TCP reset instead of a FIN, and the reset can destroy our close
// frame before the peer reads it. So our FIN goes first: the peer reads the
// close frame, then end of stream, and hangs up, which ends the drain.
func (c *Conn) drain() {
	if _, ok := c.conn.(*streamConn); ok {
		// HTTP/2 (h2.go): the stream ends after our close frame, in order,
		// and a client "MUST NOT discard responses" for the RST_STREAM
		// that may follow (RFC 9113 §8.1). Nothing to wait for.
		return
	}
	if cw, ok := c.conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	if c.conn.SetReadDeadline(time.Now().Add(CloseGrace)) == nil {
		_, _ = io.Copy(io.Discard, c.conn)
	}
}

// ANCHOR_END: drain
