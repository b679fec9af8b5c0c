package handshake

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

const (
	// growStep is the least a message buffer grows by: memory follows the
	// bytes that have arrived, never the length a header claims.
	growStep = 4 << 10
)

// ANCHOR: read-message

// ReadMessage returns the next text or binary message, whole (§5.4: the
// payloads of its fragments, in order). On the way it answers pings with
// pongs, ignores pongs, and answers a close frame with a close frame.
//
// The returned bytes are valid until the next call to ReadMessage.
//
// When the peer closes, the error is a *CloseError with its code. When the
// peer breaks a rule, ReadMessage fails the connection (§7.1.7): it sends a
// close frame with the code that names the fault, waits briefly for the
// peer's answer, closes the TCP connection and returns a *CloseError with
// Sent set. Errors are sticky: once ReadMessage has failed, for whatever
// reason (a deadline, a close), every later call returns the same error,
// because the next byte on the wire may be in the middle of a frame.
func (c *Conn) ReadMessage() (Opcode, []byte, error) {
	if !c.rmu.TryLock() {
		return c.readBusy()
	}
	c.letGo()
	for {
		if c.readErr == nil {
			// An idle connection's goroutine waits here, for the first
			// byte of the next frame, on a short stack: a goroutine starts
			// with 2 KiB, and the frames of readMessage and readHeader
			// below the wait would double it for every idle connection
			// (go test -bench IdleMemory ./handshake).
			c.waitFrame()
		}
		op, msg, err := c.readMessage()
		if err != errBetweenMessages {
			c.rmu.Unlock()
			return op, msg, err
		}
	}
}

// errConcurrentRead is ReadMessage's answer while another read is running:
// a second reader would tear frames apart.
var errConcurrentRead = errors.New("websocket: another goroutine is reading this " +
	"connection")

// errBetweenMessages is readMessage's answer when it handled control frames
// and no message is open: ReadMessage waits for the next frame itself.
var errBetweenMessages = errors.New("websocket: between messages")

// readBusy answers a ReadMessage that finds another read running. If it is
// CloseWith's, reading the peer's close, wait for its end (bounded: it set
// a read deadline) and share it; two readers of the caller's are an error.
//
//go:noinline
func (c *Conn) readBusy() (Opcode, []byte, error) {
	if !c.draining.Load() {
		return 0, nil, errConcurrentRead
	}
	c.rmu.Lock()
	err := c.readErr
	c.rmu.Unlock()
	if err == nil {
		err = errConcurrentRead
	}
	return 0, nil, err
}

// readMessage is ReadMessage while c.reading is held.
func (c *Conn) readMessage() (Opcode, []byte, error) {
	if c.readErr != nil {
		return 0, nil, c.readErr
	}
	var op Opcode // the message's opcode; 0 until its first frame arrives
	for {
		var h header
		if err := readHeader(&c.in, &c.hdr, &h); err != nil {
			return c.readEnded(c.readFailed(err))
		}
		c.alive()
		if fault := c.check(&h, op != 0); fault != nil {
			return c.readEnded(c.fail(fault))
		}
		if h.op.IsControl() {
			if err := c.control(&h); err != nil {
				return c.readEnded(err)
			}
			if op == 0 {
				return 0, nil, errBetweenMessages // wait for the next frame up there
			}
			continue
		}
		if op == 0 {
			if p, ok, err := c.readInHand(&h); ok || err != nil {
				if err != nil {
					return c.readEnded(err)
				}
				if c.closeSent.Load() {
					continue // dropped: see below
				}
				return h.op, p, nil
			}
			op = h.op
			// The message starts msgRoom bytes in: room for the header
			// of an echo (lend.go).
			c.msg = getBuffer(0)
			*c.msg = (*c.msg)[:msgRoom]
			c.inflating = h.rsv&rsv1 != 0 // RFC 7692 §6: this message is compressed
		}
		if err := c.readPayload(&h); err != nil {
			return c.readEnded(err)
		}
		if !h.fin {
			continue
		}
		if err := c.complete(op); err != nil {
			return c.readEnded(err)
		}
		// Once our close frame is out, we answer nothing but the peer's
		// close (§5.5.1, §7.1.2): a late message is dropped, not delivered.
		if c.closeSent.Load() {
			c.release()
			op = 0
			continue
		}
		c.lend()
		return op, (*c.msg)[msgRoom:], nil
	}
}

// ANCHOR_END: read-message

// complete checks a message whose last frame has arrived: inflated first if
// it was compressed (RFC 7692 §6), then, as §8.1 asks, a text message must
// be UTF-8. Checked on the whole message, so a code point split across two
// fragments is fine. Not inlined: see ReadMessage.
//
//go:noinline
func (c *Conn) complete(op Opcode) error {
	if c.inflating {
		if err := c.inflate(); err != nil {
			return err
		}
	}
	if op == OpText && !utf8.Valid((*c.msg)[msgRoom:]) {
		return c.fail(errInvalidText)
	}
	return nil
}

// ANCHOR: in-hand

// readInHand returns a message that is one frame (FIN set, not compressed)
// whose payload has all arrived with its header, in the read-ahead buffer:
// a chat line, a 32-byte echo. It is unmasked where it lies and returned
// from there, with no buffer from the pool and no copy. That is safe for
// the same reason the pool is: the bytes are valid until the next
// ReadMessage, and only that call reads into the read-ahead buffer again.
// ok is false for any other frame, which readPayload reads into a buffer
// from the pool. Not inlined: see ReadMessage.
//
//go:noinline
func (c *Conn) readInHand(h *header) (p []byte, ok bool, err error) {
	if !h.fin || h.rsv != 0 || h.length > uint64(c.maxSize) {
		return nil, false, nil // a fragment, compressed, or too big (readPayload: 1009)
	}
	if p, ok = c.in.inHand(h.length); !ok {
		return nil, false, nil
	}
	if h.masked {
		maskWords(h.key, 0, p)
	}
	if h.op == OpText && !utf8.Valid(p) {
		return nil, false, c.fail(errInvalidText)
	}
	return p, true, nil
}

// ANCHOR_END: in-hand

// errInvalidText is the fault of a text message that is not UTF-8.
var errInvalidText = &CloseError{Code: CloseInvalidData, Reason: "text message is not valid UTF-8", Sent: true}

// ANCHOR: sticky

// readEnded makes err the answer to every later read (sticky) and lets go
// of the message buffer.
func (c *Conn) readEnded(err error) (Opcode, []byte, error) {
	c.release()
	c.readErr = err
	return 0, nil, err
}

// ANCHOR_END: sticky

// readFailed explains a read error: a peer that sent nothing for the
// keepalive's wait. Others pass unchanged.
func (c *Conn) readFailed(err error) error {
	if c.keepalive.wait > 0 && !c.draining.Load() && isTimeout(err) {
		return fmt.Errorf("websocket: no frame from the peer for %v: %w", c.keepalive.wait, err)
	}
	return err
}

// ANCHOR: check

// check applies the rules of §5.1–§5.5 to a frame header before a byte of
// its payload is read. inMessage says whether a fragmented message is open.
func (c *Conn) check(h *header, inMessage bool) *CloseError {
	fault := func(reason string) *CloseError {
		return &CloseError{Code: CloseProtocolError, Reason: reason, Sent: true}
	}
	switch {
	case h.rsv != 0 && c.deflate == nil:
		return fault("reserved bits set, but no extension was negotiated") // §5.2
	case h.rsv&^rsv1 != 0:
		return fault("RSV2 or RSV3 set: permessage-deflate uses only RSV1") // §5.2
	case h.rsv != 0 && (h.op.IsControl() || h.op == OpContinuation):
		return fault("RSV1 set on a control frame or a continuation") // RFC 7692 §6
	case !h.op.isKnown():
		return fault(fmt.Sprintf("reserved opcode %#x", byte(h.op))) // §5.2
	case h.length>>63 != 0:
		return fault("64-bit payload length with its most significant bit set") // §5.2
	case h.op.IsControl() && !h.fin:
		return fault("fragmented control frame") // §5.5
	case h.op.IsControl() && h.length > maxControlPayload:
		return fault("control frame payload over 125 bytes") // §5.5
	case !c.client && !h.masked:
		return fault("client frame not masked") // §5.1
	case c.client && h.masked:
		return fault("server frame masked") // §5.1
	case h.op == OpContinuation && !inMessage:
		return fault("continuation frame with no message to continue") // §5.4
	case (h.op == OpText || h.op == OpBinary) && inMessage:
		return fault("new data frame inside a fragmented message") // §5.4
	}
	return nil
}

// ANCHOR_END: check

// ANCHOR: read-payload

// readPayload appends a data frame's payload to the message buffer. The
// length is checked against the limit before anything is allocated, so a
// forged 64-bit length costs nothing. Then the buffer grows only with
// bytes that have arrived (see grow): a header that claims 1 MiB and sends
// one byte holds 4 KiB, not 1 MiB.
//
// A compressed message's limit is on its inflated size (see inflate); on
// the wire it may take DEFLATE's worst case for that size.
func (c *Conn) readPayload(h *header) error {
	have := len(*c.msg) - msgRoom
	limit := c.maxSize
	if c.inflating {
		limit = compressedLimit(c.maxSize)
	}
	if h.length > uint64(limit-have) {
		return c.fail(&CloseError{Code: CloseTooBig,
			Reason: fmt.Sprintf("message over %d bytes", c.maxSize), Sent: true})
	}
	pos := 0 // position in this frame's payload, for the mask
	for left := int(h.length); left > 0; {
		// Full, or a big payload that may have arrived: see grow.
		free := cap(*c.msg) - len(*c.msg)
		if free == 0 || free < left && left > growStep {
			c.grow(left, h.fin, limit)
		}
		b := *c.msg
		chunk := b[len(b) : len(b)+min(left, cap(b)-len(b))]
		if err := c.in.readFull(chunk); err != nil {
			return c.readFailed(unexpected(err))
		}
		if h.masked {
			pos = maskWords(h.key, pos, chunk)
		}
		*c.msg = b[:len(b)+len(chunk)]
		left -= len(chunk)
	}
	return nil
}

// ANCHOR: grow

// grow makes room in the message buffer for more of a payload of which
// left bytes are still to come in this frame: it doubles, by growStep at
// least, or, for a big payload, takes room for all of it that has already
// arrived (one buffer, one read, no copy per doubling); the last frame
// (fin) needs only what it brings, and no message needs more than limit.
// (Growing by each frame's length copied a 4 MiB message of 64-byte
// fragments 65,536 times: Autobahn's case 9.3.1.) Not inlined: see
// ReadMessage.
//
//go:noinline
func (c *Conn) grow(left int, fin bool, limit int) {
	b := *c.msg
	have := len(b) - msgRoom
	grow := max(have, growStep)
	if left > growStep {
		// Bytes that have arrived are no claim: make room for all of
		// them that belong to this frame, in one buffer, rather than
		// copying the message at every doubling (and reading it in as
		// many pieces).
		grow = max(grow, min(left, c.in.arrived()))
	}
	if fin {
		grow = min(grow, left)
	}
	if len(b)+grow <= cap(b) {
		return // the room there is already all this frame can use now
	}
	grown := getBuffer(len(b) + min(grow, limit-have))
	*grown = append(*grown, b...)
	putBuffer(c.msg)
	c.msg = grown
}

// ANCHOR_END: grow

// ANCHOR_END: read-payload

// ANCHOR: let-go

// letGo lets go of the last message ReadMessage returned, before reading
// the next. Normally its buffer goes back to the pool. But a CloseWith from
// another goroutine reads the peer's close itself while the handler may
// still hold that message (between its ReadMessage and its WriteMessage,
// say): then the buffer is left to the garbage collector, not the pool,
// where another connection would write into it, and no read fills the
// read-ahead buffer again, where a message may lie (readInHand). Not
// inlined, like release.
//
//go:noinline
func (c *Conn) letGo() {
	draining := c.draining.Load()
	c.unlend(draining)
	if draining {
		c.msg = nil
		c.in.direct = true
		return
	}
	c.release()
}

// ANCHOR_END: let-go

// release returns the current message's buffer to the pool. Only the
// reading goroutine calls it. Not inlined, like alive.
//
//go:noinline
func (c *Conn) release() {
	if c.msg == nil {
		return
	}
	putBuffer(c.msg)
	c.msg = nil
}

// ANCHOR: control

// control handles a control frame (§5.5): a ping is answered with a pong
// carrying the same payload (§5.5.2), a pong is ignored (§5.5.3: it may be
// unsolicited), and a close is answered with a close (§5.5.1).
func (c *Conn) control(h *header) error {
	payload := c.ctrl[:h.length]
	if err := c.in.readFull(payload); err != nil {
		return c.readFailed(unexpected(err))
	}
	if h.masked {
		maskWords(h.key, 0, payload)
	}
	switch h.op {
	case OpPing:
		// After our close frame, no pong: we wait for the peer's close.
		// A pong that cannot get the writer in time is skipped; one whose
		// write fails has broken the connection.
		err := c.writeFrame(OpPong, c.controlBound(), payload)
		if err == nil || errors.Is(err, ErrCloseSent) || errors.Is(err, errWriterBusy) {
			return nil
		}
		return err
	case OpPong:
		return nil
	}
	code, reason, fault := parseClose(payload)
	if fault != nil {
		return c.fail(fault)
	}
	// Echo the peer's code (§5.5.1); a close with no code gets an empty one.
	// If we sent our close first, this frame was the answer, and we are done.
	if code == CloseNoStatus {
		_ = c.writeClose(nil)
	} else {
		_ = c.writeClose(appendCloseBody(c.ctrl[:0:0], code, ""))
	}
	return &CloseError{Code: code, Reason: reason}
}

// ANCHOR_END: control
