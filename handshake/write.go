package handshake

import (
	"errors"
	"fmt"
	"time"
)

// controlWait bounds the write of a control frame (a pong, a ping, a close),
// waiting for the writer included: gorilla's choice (writeWait in its
// conn.go). A peer that has not made room for 125 bytes in a second is not
// reading, and a goodbye must not wait behind it.
const controlWait = time.Second

// ErrCloseSent is returned by a write after a close frame was sent: RFC 6455
// §5.5.1 allows no data after it.
var ErrCloseSent = errors.New("websocket: close frame already sent")

// errWriterBusy means another write held the connection for longer than a
// control frame may wait.
var errWriterBusy = errors.New("websocket: another write is in progress")

// ANCHOR: write

// WriteMessage sends one message in a single frame. The payload is the
// parts one after another, so "Received: " and a message go out together
// without being joined first. With permessage-deflate negotiated, a message
// of at least the compression threshold goes out compressed. Safe to call
// from several goroutines. It waits for the wire as long as the deadline
// set with SetWriteDeadline, or the timeout set with SetWriteTimeout.
func (c *Conn) WriteMessage(op Opcode, parts ...[]byte) error {
	if op != OpText && op != OpBinary {
		return notData(op)
	}
	if c.deflate != nil {
		return c.writeDeflating(op, parts)
	}
	return c.writeFrame(op, c.writeBound(), parts...)
}

// writeDeflating is WriteMessage with permessage-deflate negotiated: a
// message of at least the threshold goes out compressed. Not inlined: its
// locals would grow the frame of every loop that calls WriteMessage, and
// an idle connection's goroutine keeps that frame on its stack while it
// waits in ReadMessage.
//
//go:noinline
func (c *Conn) writeDeflating(op Opcode, parts [][]byte) error {
	if c.deflate.wants(parts) {
		return c.writeCompressed(op, c.writeBound(), parts)
	}
	return c.writeFrame(op, c.writeBound(), parts...)
}

// notData is WriteMessage's error for a control opcode.
//
//go:noinline
func notData(op Opcode) error {
	return fmt.Errorf("websocket: WriteMessage takes OpText or OpBinary, not %#x",
		byte(op))
}

// writeFrame sends one whole frame in one write: header, then payload,
// masked if we are the client (§5.3, with a fresh key from crypto/rand),
// within b (bound.go), holding the writer. A write that fails (a
// deadline, a reset) may have left half a frame on the wire, so its error
// is sticky.
//
// The encoding is a call of its own, so that its locals are off the stack
// during the write system call: a connection's goroutine starts with 2 KiB
// of stack, and a frame more or less on this path decides whether an echo
// doubles it (go test -bench IdleMemory ./handshake).
func (c *Conn) writeFrame(op Opcode, b bound, parts ...[]byte) error {
	var bp *[]byte // the frame's own buffer, unless it is built in the room (lend.go)
	inRoom := c.inRoom(parts)
	if !inRoom {
		bp = c.encode(op, parts)
	}
	var err error
	var locked bool
	switch b, locked = c.lockWriter(b); {
	case !locked:
		err = errWriterBusy
	case c.writeErr != nil:
		err = c.writeErr
		c.unlockWriter()
	case c.closeSent.Load():
		err = ErrCloseSent
		c.unlockWriter()
	default:
		if op == OpClose {
			c.closeSent.Store(true)
		}
		var frame []byte
		if inRoom {
			frame = c.frameInRoom(op, parts[0])
		}
		if frame == nil { // not in the room, or the message is no longer lent
			if bp == nil {
				bp = c.encode(op, parts)
			}
			frame = *bp
		}
		if err = c.send(frame, b); err != nil {
			c.writeErr = err
		}
		c.unlockWriter()
	}
	if bp != nil {
		putBuffer(bp)
	}
	return err
}

// encode writes the frame into a buffer from the pool.
//
//go:noinline
func (c *Conn) encode(op Opcode, parts [][]byte) *[]byte {
	h := header{fin: true, op: op, masked: c.client}
	for _, p := range parts {
		h.length += uint64(len(p))
	}
	if h.masked {
		newMaskKey(&h.key)
	}
	bp := getBuffer(maxHeaderLen + int(h.length))
	b := appendHeader((*bp)[:0], &h)
	if !h.masked {
		for _, p := range parts {
			b = append(b, p...)
		}
		*bp = b
		return bp
	}
	// A client masks as it copies: one pass over the payload, not two.
	start := len(b)
	b = b[:start+int(h.length)]
	pos := 0
	for _, p := range parts {
		pos = maskCopy(h.key, pos, b[start+pos:], p)
	}
	*bp = b
	return bp
}

// writable reports, to the holder of the writer, why nothing more may be
// written: an earlier write failed, or our close frame is out.
func (c *Conn) writable() error {
	switch {
	case c.writeErr != nil:
		return c.writeErr
	case c.closeSent.Load():
		return ErrCloseSent
	}
	return nil
}

// sendLocked writes one encoded frame; the caller holds the writer. (The
// compressed path uses it; writeFrame does the same inline, one call less
// on the stack of every echo.)
func (c *Conn) sendLocked(op Opcode, b bound, frame []byte) error {
	if op == OpClose {
		c.closeSent.Store(true)
	}
	if err := c.send(frame, b); err != nil {
		c.writeErr = err
		return err
	}
	return nil
}

// ANCHOR_END: write

// lockWriter takes the writer, waiting within b at most (see writerLock),
// and reports whether it did, and the bound left for the wire: b itself if
// the writer was free, or b fixed as a deadline if it had to wait, so that
// a timeout counts the wait for the writer too.
func (c *Conn) lockWriter(b bound) (bound, bool) {
	if c.wlock.tryLock() {
		return b, true
	}
	b = b.fixed()
	return b, c.wlock.wait(b.at())
}

func (c *Conn) unlockWriter() { c.wlock.unlock() }

// writeBound is the caller's bound for data writes: a deadline, a
// timeout, or none.
func (c *Conn) writeBound() bound { return bound(c.deadline.Load()) }

// controlBound is the bound for a control frame written now: the caller's,
// or controlWait from now if that is sooner.
func (c *Conn) controlBound() bound { return c.writeBound().sooner(controlWait) }

// writeClose sends a close frame with the given body, unless one was sent
// already (only one per connection, §5.5.1).
func (c *Conn) writeClose(body []byte) error {
	err := c.writeFrame(OpClose, c.controlBound(), body)
	if errors.Is(err, ErrCloseSent) {
		return nil
	}
	return err
}
