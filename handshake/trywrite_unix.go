//go:build unix

package handshake

import "syscall"

// rawWriter writes to a socket's file descriptor without waiting, through
// its syscall.RawConn. A Conn makes one, once, for its first frame with a
// deadline; its fields are the writer's (guarded by wlock).
type rawWriter struct {
	raw syscall.RawConn
	do  func(fd uintptr) bool // w.write, bound once: a closure per frame would allocate
	b   []byte                // what is left to write; nil between frames
	n   int                   // how much was written
}

// write writes as much of w.b as the kernel takes now, and never waits:
// returning true tells the runtime not to wait for the socket either.
func (w *rawWriter) write(fd uintptr) bool {
	for len(w.b) > 0 {
		n, err := syscall.Write(int(fd), w.b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			break // EAGAIN (the buffer is full) or an error the waiting write will report
		}
		w.n += n
		w.b = w.b[n:]
	}
	return true
}

// tryWrite writes what of frame the socket's buffer takes without waiting,
// and reports how much, and whether that was all of it. On a connection
// that is no socket of this process (TLS, an HTTP/2 stream, a pipe) it
// writes nothing.
func (c *Conn) tryWrite(frame []byte) (int, bool) {
	w := c.raw
	if w == nil {
		if c.noRaw {
			return 0, false
		}
		sc, ok := c.conn.(syscall.Conn)
		var raw syscall.RawConn
		var err error
		if ok {
			raw, err = sc.SyscallConn()
		}
		if !ok || err != nil {
			c.noRaw = true
			return 0, false
		}
		w = &rawWriter{raw: raw}
		w.do = w.write
		c.raw = w
	}
	w.b, w.n = frame, 0
	err := w.raw.Write(w.do)
	n := w.n
	w.b = nil // keep no caller's bytes
	return n, err == nil && n == len(frame)
}
