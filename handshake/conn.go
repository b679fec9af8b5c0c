package handshake

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/websocket-in-go/workbook/web/serve"
)

const (
	// DefaultMaxMessageSize is the largest message a Conn reads unless told
	// otherwise: 1 MiB. A bigger one fails the connection with 1009.
	DefaultMaxMessageSize = 1 << 20

	// maxControlPayload is the most a control frame may carry (§5.5).
	maxControlPayload = 125

	// writeTimeout bounds every write, so a peer that stops reading cannot
	// block the writer forever.
	writeTimeout = 10 * time.Second

	// pooledBufferLimit is the largest buffer returned to the pool. A rare
	// big message gets a buffer of its own, which the GC takes back.
	pooledBufferLimit = 64 << 10
)

// ErrCloseSent is returned by a write after a close frame was sent: RFC 6455
// §5.5.1 allows no data after it.
var ErrCloseSent = errors.New("websocket: close frame already sent")

// buffers holds message buffers between messages. An idle connection owns
// none: it waits for the next frame header in a 14-byte array, and takes a
// buffer only while a message is in flight.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// ANCHOR: conn

// Conn is a WebSocket connection after the opening handshake, on either
// side. Connections support one concurrent reader and any number of
// concurrent writers: writes are serialised, so the reader can answer a
// ping while another goroutine sends a message.
type Conn struct {
	conn    net.Conn
	in      inbound // reads from conn, after any bytes that came with the handshake
	client  bool    // we are the client: we mask our frames, the server must not
	maxSize int

	// Only the reading goroutine touches these.
	hdr  [maxHeaderLen]byte
	ctrl [maxControlPayload]byte
	msg  *[]byte // the message being read, from buffers; nil while idle

	wmu       sync.Mutex // one frame on the wire at a time
	closeSent bool       // guarded by wmu
}

// ANCHOR_END: conn

func newConn(c net.Conn, pending []byte, client bool) *Conn {
	return &Conn{conn: c, in: inbound{pending: pending, conn: c}, client: client, maxSize: DefaultMaxMessageSize}
}

// readAhead is the size of the small read-ahead buffer inside every Conn:
// big enough that a small frame, header and payload, arrives with one read
// system call; small enough that an idle connection barely notices it.
const readAhead = 256

// inbound reads the bytes that arrived together with the handshake (and
// were buffered by the HTTP code) first, then the connection, through a
// small read-ahead buffer. Reads as big as the buffer go straight through.
type inbound struct {
	pending []byte
	conn    net.Conn
	buf     [readAhead]byte
	r, w    int // buf[r:w] is read but not yet consumed
}

func (in *inbound) Read(p []byte) (int, error) {
	if len(in.pending) > 0 {
		n := copy(p, in.pending)
		in.pending = in.pending[n:]
		return n, nil
	}
	if in.r == in.w {
		if len(p) >= len(in.buf) {
			return in.conn.Read(p)
		}
		n, err := in.conn.Read(in.buf[:])
		in.r, in.w = 0, n
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, in.buf[in.r:in.w])
	in.r += n
	return n, nil
}

// SetMaxMessageSize sets the largest message ReadMessage accepts.
func (c *Conn) SetMaxMessageSize(n int) { c.maxSize = n }

// NetConn returns the underlying network connection, e.g. to set deadlines.
func (c *Conn) NetConn() net.Conn { return c.conn }

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
// Sent set.
func (c *Conn) ReadMessage() (Opcode, []byte, error) {
	c.release()
	var op Opcode // the message's opcode; 0 until its first frame arrives
	for {
		var h header
		if err := readHeader(&c.in, &c.hdr, &h); err != nil {
			return 0, nil, err
		}
		if fault := c.check(&h, op != 0); fault != nil {
			return 0, nil, c.fail(fault)
		}
		if h.op.IsControl() {
			if err := c.control(&h); err != nil {
				return 0, nil, err
			}
			continue
		}
		if op == 0 {
			op = h.op
			c.msg = buffers.Get().(*[]byte)
		}
		if err := c.readPayload(&h); err != nil {
			return 0, nil, err
		}
		if !h.fin {
			continue
		}
		// §8.1: a text message is UTF-8. Checked on the whole message, so a
		// code point split across two fragments is fine.
		if op == OpText && !utf8.Valid(*c.msg) {
			return 0, nil, c.fail(&CloseError{Code: CloseInvalidData, Reason: "text message is not valid UTF-8", Sent: true})
		}
		return op, *c.msg, nil
	}
}

// ANCHOR_END: read-message

// ANCHOR: check

// check applies the rules of §5.1–§5.5 to a frame header before a byte of
// its payload is read. inMessage says whether a fragmented message is open.
func (c *Conn) check(h *header, inMessage bool) *CloseError {
	fault := func(reason string) *CloseError {
		return &CloseError{Code: CloseProtocolError, Reason: reason, Sent: true}
	}
	switch {
	case h.rsv != 0:
		return fault("reserved bits set, but no extension was negotiated") // §5.2
	case !h.op.isKnown():
		return fault(fmt.Sprintf("reserved opcode %#x", byte(h.op))) // §5.2
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

// readPayload appends a data frame's payload to the message buffer. The
// length is checked against the limit before anything is allocated, so a
// forged 64-bit length costs nothing.
func (c *Conn) readPayload(h *header) error {
	have := len(*c.msg)
	if h.length > uint64(c.maxSize-have) {
		return c.fail(&CloseError{Code: CloseTooBig, Reason: fmt.Sprintf("message over %d bytes", c.maxSize), Sent: true})
	}
	n := int(h.length)
	if cap(*c.msg) < have+n {
		grown := make([]byte, have, max(have+n, 2*cap(*c.msg)))
		copy(grown, *c.msg)
		*c.msg = grown
	}
	*c.msg = (*c.msg)[:have+n]
	payload := (*c.msg)[have:]
	if _, err := io.ReadFull(&c.in, payload); err != nil {
		return unexpected(err)
	}
	if h.masked {
		mask(h.key, 0, payload)
	}
	return nil
}

// release returns the previous message's buffer to the pool.
func (c *Conn) release() {
	if c.msg == nil {
		return
	}
	if cap(*c.msg) <= pooledBufferLimit {
		*c.msg = (*c.msg)[:0]
		buffers.Put(c.msg)
	}
	c.msg = nil
}

// ANCHOR: control

// control handles a control frame (§5.5): a ping is answered with a pong
// carrying the same payload (§5.5.2), a pong is ignored (§5.5.3: it may be
// unsolicited), and a close is answered with a close (§5.5.1).
func (c *Conn) control(h *header) error {
	payload := c.ctrl[:h.length]
	if _, err := io.ReadFull(&c.in, payload); err != nil {
		return unexpected(err)
	}
	if h.masked {
		mask(h.key, 0, payload)
	}
	switch h.op {
	case OpPing:
		return c.writeFrame(OpPong, payload)
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

// ANCHOR: fail

// fail fails the WebSocket connection (§7.1.7): send a close frame with the
// fault's code, let the peer read it (see serve.Drain: closing a socket with
// unread input resets it and can destroy our frame), then close TCP.
func (c *Conn) fail(fault *CloseError) error {
	var body [maxControlPayload]byte
	_ = c.writeClose(appendCloseBody(body[:0], fault.Code, fault.Reason))
	serve.Drain(c.conn)
	c.conn.Close()
	return fault
}

// ANCHOR_END: fail

// ANCHOR: write

// WriteMessage sends one message in a single frame. The payload is the
// parts one after another, so "Received: " and a message go out together
// without being joined first. Safe to call from several goroutines.
func (c *Conn) WriteMessage(op Opcode, parts ...[]byte) error {
	if op != OpText && op != OpBinary {
		return fmt.Errorf("websocket: WriteMessage takes OpText or OpBinary, not %#x", byte(op))
	}
	return c.writeFrame(op, parts...)
}

// writeFrame sends one whole frame in one write: header, then payload,
// masked if we are the client (§5.3, with a fresh key from crypto/rand).
func (c *Conn) writeFrame(op Opcode, parts ...[]byte) error {
	h := header{fin: true, op: op, masked: c.client}
	for _, p := range parts {
		h.length += uint64(len(p))
	}
	if h.masked {
		newMaskKey(&h.key)
	}
	bp := buffers.Get().(*[]byte)
	b := appendHeader((*bp)[:0], &h)
	start := len(b)
	for _, p := range parts {
		b = append(b, p...)
	}
	if h.masked {
		mask(h.key, 0, b[start:])
	}

	c.wmu.Lock()
	var err error
	if c.closeSent {
		err = ErrCloseSent
	} else {
		c.closeSent = op == OpClose
		c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		_, err = c.conn.Write(b)
	}
	c.wmu.Unlock()

	if cap(b) <= pooledBufferLimit {
		*bp = b[:0]
		buffers.Put(bp)
	}
	return err
}

// ANCHOR_END: write

// writeClose sends a close frame with the given body, unless one was sent
// already (only one per connection, §5.5.1).
func (c *Conn) writeClose(body []byte) error {
	err := c.writeFrame(OpClose, body)
	if errors.Is(err, ErrCloseSent) {
		return nil
	}
	return err
}

// ANCHOR: close-with

// CloseWith starts the closing handshake (§7.1.2): it sends a close frame
// with code and reason. It is safe to call while another goroutine is in
// ReadMessage, which then receives the peer's answering close and returns.
func (c *Conn) CloseWith(code int, reason string) error {
	var body [maxControlPayload]byte
	return c.writeClose(appendCloseBody(body[:0], code, reason))
}

// ANCHOR_END: close-with

// Close closes the TCP connection at once, with no closing handshake.
func (c *Conn) Close() error {
	c.release()
	return c.conn.Close()
}
