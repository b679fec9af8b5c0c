package handshake

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// DefaultMaxMessageSize is the largest message a Conn reads unless told
	// otherwise: 1 MiB. A bigger one fails the connection with 1009.
	DefaultMaxMessageSize = 1 << 20

	// maxControlPayload is the most a control frame may carry (§5.5).
	maxControlPayload = 125
)

// ANCHOR: conn

// Conn is a WebSocket connection after the opening handshake, on either
// side. Connections support one concurrent reader and any number of
// concurrent writers: writes are serialised, so the reader can answer a
// ping while another goroutine sends a message. Close and CloseWith may be
// called from any goroutine, at any time.
type Conn struct {
	conn   net.Conn
	in     inbound // reads from conn, after any bytes that came with the handshake
	client bool    // we are the client: we mask our frames, the server must not

	// The reading side. Only the goroutine inside ReadMessage (which set
	// reading) touches these, so no buffer of ours is seen by two readers.
	rmu     sync.Mutex // held by the goroutine inside ReadMessage
	maxSize int
	hdr     [maxHeaderLen]byte
	ctrl    [maxControlPayload]byte
	// the message being read, from the pools (pool.go); nil while idle
	msg *[]byte
	// lent is where the payload of the message ReadMessage returned last
	// starts, and lentBuf its buffer; nil when none is lent (lend.go).
	lent     atomic.Pointer[byte]
	lentBuf  *[]byte
	readErr  error       // once set, every later read returns it (sticky)
	draining atomic.Bool // CloseWith is reading the peer's answer: keep its deadline

	// The writing side: one frame on the wire at a time. wlock is a mutex
	// that a goodbye can give up waiting for (writerlock.go).
	wlock    writerLock
	writeErr error        // guarded by wlock; once set, every later write returns it
	deadline atomic.Int64 // the caller's bound on data writes (bound.go); 0 for none
	// netDeadline is the write deadline last set on conn, in Unix
	// nanoseconds (0: none, -1: not known); guarded by wlock. See setWriteDeadline.
	netDeadline int64
	raw         *rawWriter  // send's way to write without waiting (trywrite_unix.go)
	noRaw       bool        // conn has no file descriptor to write to that way
	closeSent   atomic.Bool // our close frame is out: §5.5.1 allows nothing after it

	keepalive keepalive

	// deflate is the permessage-deflate state (deflate.go), nil unless the
	// handshake negotiated it; inflating is set by the reader while the
	// message being read was compressed (RSV1 on its first frame).
	deflate   *deflateState
	inflating bool
}

// ANCHOR_END: conn

func newConn(c net.Conn, pending []byte, client bool) *Conn {
	return &Conn{
		conn:    c,
		in:      inbound{pending: pending, conn: c},
		client:  client,
		maxSize: DefaultMaxMessageSize,
		wlock:   newWriterLock(),

		netDeadline: -1,
	}
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
	r, w    int   // buf[r:w] is read but not yet consumed
	err     error // what the read in wait returned, for the next Read
	direct  bool  // never fill buf again: the handler may hold a message in it (letGo)

	query *queuedQuery // asks the kernel what has arrived; made on the first big message
	asked bool         // query was made (it may be nil: conn is not a socket)

	// rearm, with keepalive on, is asked when a read's deadline passes
	// whether to read on (keepalive.go).
	rearm func() bool
}

// read reads from conn. A deadline that passes while keepalive has heard
// the peer within its period is moved (rearm), and the read goes on.
func (in *inbound) read(p []byte) (int, error) {
	for {
		n, err := in.conn.Read(p)
		if n > 0 || err == nil || in.rearm == nil || !isTimeout(err) || !in.rearm() {
			return n, err
		}
	}
}

// inHand consumes and returns the next n bytes if they are all in the
// read-ahead buffer already; otherwise it reports false and consumes
// nothing. The bytes stay valid until the buffer is next filled.
func (in *inbound) inHand(n uint64) ([]byte, bool) {
	if len(in.pending) > 0 || uint64(in.w-in.r) < n {
		return nil, false
	}
	p := in.buf[in.r : in.r+int(n)]
	in.r += int(n)
	return p, true
}

// arrived is how many bytes have reached us and wait to be read: those in
// hand and those in the kernel's receive queue. Only the reader calls it,
// and only for a message bigger than growStep: asking costs a system call.
func (in *inbound) arrived() int {
	if !in.asked {
		in.query, in.asked = newQueuedQuery(in.conn), true
	}
	return len(in.pending) + in.w - in.r + in.query.queued()
}

// wait blocks until at least one byte is buffered or a read fails; the
// error is kept for the next Read.
func (in *inbound) wait() {
	if len(in.pending) > 0 || in.r < in.w || in.err != nil || in.direct {
		return
	}
	n, err := in.read(in.buf[:])
	in.r, in.w = 0, n
	if n == 0 {
		in.err = err
	}
}

// readFull reads exactly len(p) bytes, as io.ReadFull(in, p) would, with
// two calls fewer on the stack below it (see ReadMessage on why that
// matters).
func (in *inbound) readFull(p []byte) error {
	for n := 0; n < len(p); {
		k, err := in.Read(p[n:])
		n += k
		if err != nil {
			if n == len(p) {
				return nil
			}
			if n > 0 && err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

func (in *inbound) Read(p []byte) (int, error) {
	if len(in.pending) > 0 {
		n := copy(p, in.pending)
		in.pending = in.pending[n:]
		return n, nil
	}
	if in.r == in.w {
		if in.err != nil {
			err := in.err
			in.err = nil
			return 0, err
		}
		if len(p) >= len(in.buf) || in.direct {
			return in.read(p)
		}
		n, err := in.read(in.buf[:])
		in.r, in.w = 0, n
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, in.buf[in.r:in.w])
	in.r += n
	return n, nil
}

// SetMaxMessageSize sets the largest message ReadMessage accepts. As in
// Options, n <= 0 means DefaultMaxMessageSize: a Conn always has a limit.
// Call it before reading, or from the reading goroutine.
func (c *Conn) SetMaxMessageSize(n int) {
	if n <= 0 {
		n = DefaultMaxMessageSize
	}
	c.maxSize = n
}

// NetConn returns the underlying network connection. Use the Conn's own
// SetWriteDeadline and keepalive rather than the net.Conn's deadlines: the
// Conn sets those for every frame it writes and, with keepalive on, reads.
func (c *Conn) NetConn() net.Conn { return c.conn }

// SetWriteDeadline sets the deadline for the writes of data messages that
// start after it; the zero time means none, as for net.Conn. It replaces a
// timeout set with SetWriteTimeout. Control frames (pong, ping, close) are
// bounded by the sooner of this deadline and controlWait. After a write
// times out the connection is unusable: a frame may be cut in half on the
// wire, so every later write fails too.
func (c *Conn) SetWriteDeadline(t time.Time) { c.deadline.Store(int64(deadlineBound(t))) }

// SetWriteTimeout gives every data message written after it d to get onto
// the wire, counted from when that write starts to wait (for another
// writer, or for the peer to read); d <= 0 means no bound. It replaces a
// deadline set with SetWriteDeadline, and fails a write the same way. A
// server that bounds every echo wants this rather than a new deadline per
// message: a deadline needs the clock read for every message, and a
// timeout only for a write that has to wait, which is almost none
// (bound.go).
func (c *Conn) SetWriteTimeout(d time.Duration) { c.deadline.Store(int64(timeoutBound(d))) }

// epoch is where a Conn's write deadlines are counted from. A deadline
// kept as time since epoch comes back (bound.at) with a reading of
// the monotonic clock, and checking such a time (time.Until) reads that
// one clock; a time made from Unix nanoseconds would need time.Now, which
// reads the wall clock too.
var epoch = time.Now()
