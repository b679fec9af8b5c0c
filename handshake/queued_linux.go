package handshake

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// queuedQuery asks the kernel how many bytes wait in a socket's receive
// queue (ioctl SIOCINQ, also known as FIONREAD). It is made once per
// connection, on its first big message, with the function Control calls
// bound once, so that asking allocates nothing.
type queuedQuery struct {
	raw syscall.RawConn
	ask func(fd uintptr)
	n   int
}

// newQueuedQuery returns the query for c, or nil if c is not a socket of
// this process (a TLS connection, an HTTP/2 stream, a test's pipe).
func newQueuedQuery(c any) *queuedQuery {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	q := &queuedQuery{raw: raw}
	q.ask = q.fionread
	return q
}

func (q *queuedQuery) fionread(fd uintptr) {
	n, err := unix.IoctlGetInt(int(fd), unix.SIOCINQ)
	if err != nil || n < 0 {
		n = 0
	}
	q.n = n
}

// queued is the number of bytes the kernel holds for the next read, 0 if
// it cannot tell.
func (q *queuedQuery) queued() int {
	if q == nil {
		return 0
	}
	q.n = 0
	if q.raw.Control(q.ask) != nil {
		return 0
	}
	return q.n
}
