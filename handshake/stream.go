package handshake

import (
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"
)

// ANCHOR: stream-conn

// streamConn makes one HTTP/2 stream look like the net.Conn a Conn is
// built on. RFC 8441 §5 asks for exactly that: after the handshake the
// peers "proceed with the WebSocket Protocol ... using the HTTP/2 stream
// from the CONNECT transaction as if it were the TCP connection". What
// the peer sends arrives as the stream's DATA (the request body on the
// server, the response body on the client); what we send leaves as DATA
// at once, flushed after every frame.
//
// The deadlines are the adapter's own. HTTP/2 has deadlines of its own
// (http.ResponseController), but they are not a socket's: a read deadline
// that passes closes the request body for good, and a write deadline that
// passes resets the stream even if nothing was being written. A Conn's
// keepalive lets its read deadline pass and moves it on (ping, then wait
// for the pong), and it sets a write deadline before every frame and
// leaves it standing. So reads wait for a goroutine that reads the stream
// (streamReader), and a write deadline is a timer that exists only while a
// write is under way (Write).
type streamConn struct {
	in            streamReader
	out           io.Writer
	flush         func() error // sends what out buffered; nil if out buffers nothing
	abort         func()       // ends the stream at once; a blocked write returns
	closeStream   func()       // lets the stream go (Close)
	local, remote net.Addr

	wmu       sync.Mutex // one write at a time; guards wdeadline
	wdeadline time.Time

	amu      sync.Mutex // guards writing, timedOut, closed: the abort's state
	writing  bool       // a write is under way
	timedOut bool       // its deadline passed and aborted it
	closed   bool
}

// ANCHOR_END: stream-conn

func newStreamConn(in io.Reader, out io.Writer, flush func() error, abort, closeStream func(), local, remote net.Addr) *streamConn {
	s := &streamConn{out: out, flush: flush, abort: abort, closeStream: closeStream, local: local, remote: remote}
	if local == nil {
		s.local = &net.TCPAddr{}
	}
	if remote == nil {
		s.remote = &net.TCPAddr{}
	}
	s.in.start(in)
	return s
}

// ANCHOR: stream-write

// Write sends p, the whole of one frame, and flushes it onto the stream.
// With a deadline set, a timer aborts the stream if the write is still
// blocked when it passes: HTTP/2 flow control blocks a write when the
// peer's window is full, that is, when the peer stopped reading.
func (s *streamConn) Write(p []byte) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if !s.begin() {
		return 0, net.ErrClosed
	}
	var timer *time.Timer
	if d := s.wdeadline; !d.IsZero() {
		if !time.Now().Before(d) {
			s.end()
			return 0, os.ErrDeadlineExceeded
		}
		timer = time.AfterFunc(time.Until(d), s.expire)
	}
	n, err := s.out.Write(p)
	if err == nil && s.flush != nil {
		err = s.flush()
	}
	if timer != nil {
		timer.Stop()
	}
	if s.end() {
		err = os.ErrDeadlineExceeded // a net.Error whose Timeout is true
	}
	return n, err
}

// ANCHOR_END: stream-write

// begin marks a write under way, unless the stream is closed.
func (s *streamConn) begin() bool {
	s.amu.Lock()
	defer s.amu.Unlock()
	s.writing = !s.closed
	return s.writing
}

// end marks the write over and reports whether its deadline aborted it.
func (s *streamConn) end() (timedOut bool) {
	s.amu.Lock()
	defer s.amu.Unlock()
	s.writing = false
	return s.timedOut
}

// expire is the write deadline's timer: it aborts the stream if the write
// it was set for is still under way (and not if it just ended).
func (s *streamConn) expire() {
	s.amu.Lock()
	defer s.amu.Unlock()
	if s.writing && !s.closed {
		s.timedOut = true
		s.abort()
	}
}

// SetWriteDeadline sets the deadline of later writes.
func (s *streamConn) SetWriteDeadline(t time.Time) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.wdeadline = t
	return nil
}

// SetReadDeadline sets the deadline of reads, also of one under way; it
// may pass and be moved again, as a socket's may.
func (s *streamConn) SetReadDeadline(t time.Time) error {
	s.in.deadline.set(t)
	return nil
}

// SetDeadline sets both deadlines.
func (s *streamConn) SetDeadline(t time.Time) error {
	s.in.deadline.set(t)
	return s.SetWriteDeadline(t)
}

func (s *streamConn) Read(p []byte) (int, error) { return s.in.Read(p) }

// Close ends reading and writing at once: a Read or Write under way
// returns (a blocked write by aborting the stream). The stream itself ends
// when its owner lets it go: on the server, when the handler returns.
func (s *streamConn) Close() error {
	s.amu.Lock()
	if s.closed {
		s.amu.Unlock()
		return net.ErrClosed
	}
	s.closed = true
	if s.writing {
		s.abort()
	}
	s.amu.Unlock()
	s.in.close()
	s.closeStream()
	return nil
}

// LocalAddr is the address of our end of the TCP connection under the stream.
func (s *streamConn) LocalAddr() net.Addr { return s.local }

// RemoteAddr is the address of the peer's end of the TCP connection.
func (s *streamConn) RemoteAddr() net.Addr { return s.remote }

// ANCHOR: stream-reader

// streamReader reads the stream on a goroutine of its own, one read at a
// time and only when asked, so that a reader who gives up at its deadline
// loses nothing: the read stays under way and the next Read waits for it.
// One buffer is in flight at most, so a peer that floods us is held back
// by HTTP/2 flow control (its window refills only as we read), not by our
// memory.
type streamReader struct {
	src      io.Reader
	ask      chan struct{} // Read asks for the next read (capacity 1)
	ready    chan struct{} // the goroutine's read is done (capacity 1)
	done     chan struct{} // closed by close
	deadline deadline

	// Between a send on ask and the receive from ready these belong to the
	// goroutine, otherwise to Read: the channels order every access.
	buf   [4096]byte
	n     int   // buf[:n] is what the last read returned
	err   error // what it returned with it; sticky
	r     int   // buf[:r] is consumed
	asked bool  // a read is under way (Read's own)
}

// ANCHOR_END: stream-reader

func (s *streamReader) start(src io.Reader) {
	s.src = src
	s.ask = make(chan struct{}, 1)
	s.ready = make(chan struct{}, 1)
	s.done = make(chan struct{})
	s.deadline.c = make(chan struct{})
	go s.run()
}

// run is the goroutine: one read per ask, until a read fails or close.
func (s *streamReader) run() {
	for {
		select {
		case <-s.ask:
		case <-s.done:
			return
		}
		s.n, s.err = s.src.Read(s.buf[:])
		s.ready <- struct{}{}
		if s.err != nil {
			return
		}
	}
}

// ANCHOR: stream-read

// Read returns what the stream brought, waiting for it until the
// deadline: os.ErrDeadlineExceeded then, as a socket would.
func (s *streamReader) Read(p []byte) (int, error) {
	for {
		select {
		case <-s.done:
			return 0, net.ErrClosed
		default:
		}
		if !s.asked {
			if s.r < s.n {
				n := copy(p, s.buf[s.r:s.n])
				s.r += n
				return n, nil
			}
			if s.err != nil {
				return 0, s.err
			}
			s.r, s.n, s.asked = 0, 0, true
			s.ask <- struct{}{}
		}
		select {
		case <-s.ready:
			s.asked = false
		case <-s.deadline.wait():
			return 0, os.ErrDeadlineExceeded
		case <-s.done:
			return 0, net.ErrClosed
		}
	}
}

// ANCHOR_END: stream-read

// close ends Read at once and lets the goroutine go (it is left to end its
// read when the stream's owner closes the body).
func (s *streamReader) close() { close(s.done) }

// deadline is a read deadline that can pass and be set again: c is closed
// while it has passed. (The design of net.Pipe's, in net/pipe.go.)
type deadline struct {
	mu    sync.Mutex
	timer *time.Timer
	c     chan struct{}
}

// set moves the deadline to t; the zero t means none.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.c // the timer fired: wait until its func has closed c
	}
	d.timer = nil
	passed := isClosed(d.c)
	wait := time.Until(t)
	switch {
	case t.IsZero() || wait > 0:
		if passed {
			d.c = make(chan struct{})
		}
		if !t.IsZero() {
			c := d.c
			d.timer = time.AfterFunc(wait, func() { close(c) })
		}
	case !passed:
		close(d.c)
	}
}

// wait returns a channel that is closed when the deadline passes.
func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.c
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// tcpAddr turns "ip:port" (http.Request.RemoteAddr) into a net.Addr.
func tcpAddr(s string) net.Addr {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return &net.TCPAddr{}
	}
	return net.TCPAddrFromAddrPort(ap)
}
