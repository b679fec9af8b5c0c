package handshake

import "time"

// setWriteDeadline sets deadline on the network connection for the frame
// about to be written, unless it is already set there; the caller holds the
// writer. Setting a deadline on a net.Conn resets a timer of the Go
// runtime's poller, under a lock, on every call, even to the same time or
// to none: a client that never sets a deadline would pay for it on every
// frame. Only the holder of the writer sets write deadlines on conn, so
// netDeadline always says what is set there.
func (c *Conn) setWriteDeadline(deadline time.Time) {
	ns := int64(0)
	if !deadline.IsZero() {
		ns = deadline.UnixNano()
	}
	if ns == c.netDeadline {
		return
	}
	c.conn.SetWriteDeadline(deadline)
	c.netDeadline = ns
}
