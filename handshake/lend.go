package handshake

// ANCHOR: lend

// msgRoom is the room ReadMessage leaves in front of every message it
// reads into a buffer from the pool. A server's frame header is at most
// 10 bytes (§5.2: no masking key), so when a handler writes back the very
// message it read, as an echo does, writeFrame puts the header in that
// room and sends header and payload with one write from the buffer they
// are already in: no second buffer, no copy of the payload. 16, not 10,
// keeps the payload 8-byte aligned for maskWords.
const msgRoom = 16

// lend records that ReadMessage is about to return the message in c.msg,
// so that writeFrame can recognise it. The reader stores the buffer first
// and the address of the payload's first byte last: a writer that loads
// that address and finds its own payload there also sees the buffer.
func (c *Conn) lend() {
	if c.client || len(*c.msg) == msgRoom {
		return // a client never frames in the room (inRoom); empty: nothing to save
	}
	c.lentBuf = c.msg
	c.lent.Store(&(*c.msg)[msgRoom])
}

// unlend forgets the message lent last; the reader calls it before the
// buffer can be used again (letGo). While CloseWith drains, the handler
// may still write that message, so the buffer reference stays until the
// next message is lent (see letGo); it keeps a buffer the pool no longer
// has only as long as the connection lives.
//
// Most messages are never lent (a small one is read in hand, and a client
// lends none), so it stores only if there is a loan: this runs before
// every message, and an atomic store costs more than a load (on amd64 it
// is an XCHG, a full barrier; the load is a plain MOV).
func (c *Conn) unlend(draining bool) {
	if c.lent.Load() != nil {
		c.lent.Store(nil)
	}
	if !draining {
		c.lentBuf = nil
	}
}

// inRoom reports whether a frame of parts can be built in the room in
// front of them: we are the server (a client masks, and must not mask the
// caller's bytes in place), and parts is one part that starts where the
// message ReadMessage lent last starts. It reads only the atomic address,
// never the buffer, so a writer of some other message does not touch
// what the reader is filling. The part may be shorter than the message
// (a prefix), never elsewhere in the buffer.
func (c *Conn) inRoom(parts [][]byte) bool {
	return !c.client && len(parts) == 1 && len(parts[0]) > 0 &&
		&parts[0][0] == c.lent.Load()
}

// frameInRoom writes the header of a frame of p into the room in front of
// p and returns the frame: header and payload, contiguous. The caller
// holds the writer, so two writers of the same message take turns with
// the room, and has checked inRoom. It returns nil if the message is no
// longer lent: only a handler that writes a message after its next
// ReadMessage began, which the contract forbids, gets there, and it gets
// the copy rather than a crash.
//
//go:noinline
func (c *Conn) frameInRoom(op Opcode, p []byte) []byte {
	lent := c.lentBuf
	if lent == nil {
		return nil
	}
	h := header{fin: true, op: op, length: uint64(len(p))}
	var hb [maxHeaderLen]byte
	hd := appendHeader(hb[:0], &h)
	b := *lent
	start := msgRoom - len(hd)
	copy(b[start:msgRoom], hd)
	return b[start : msgRoom+len(p)]
}

// ANCHOR_END: lend
