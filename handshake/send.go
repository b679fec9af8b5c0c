package handshake

import "time"

// ANCHOR: send

// send writes one encoded frame within b; the caller holds the writer.
//
// A deadline costs: setting one on a net.Conn resets a timer of the Go
// runtime's poller, under a lock, and a server that bounds every echo sets
// a new one for every message. Yet a deadline matters only to a write that
// has to wait, for a peer that does not read. So send first offers the
// frame to the kernel without waiting (tryWrite: the socket's buffer takes
// all of it, almost always); only if some of it is left does it arm the
// deadline and wait, and it disarms it again once the frame is out, so that
// the next frame finds no deadline set. A timeout (SetWriteTimeout) becomes
// a deadline only there, so a frame that fits reads no clock at all. A
// deadline already past fails at once, as net.Conn's does. A connection
// with no file descriptor of ours (TLS, an HTTP/2 stream) sets the deadline
// and leaves it, as before.
func (c *Conn) send(frame []byte, b bound) error {
	if b != 0 && !c.noRaw && (b < 0 || time.Until(b.at()) > 0) {
		n, all := c.tryWrite(frame)
		if all {
			return nil
		}
		if !c.noRaw { // some is left: wait for the peer, within the bound
			c.setWriteDeadline(b.at())
			if _, err := c.conn.Write(frame[n:]); err != nil {
				return err
			}
			c.setWriteDeadline(time.Time{})
			return nil
		}
	}
	// No bound, a deadline already past, or no file descriptor: as net.Conn does.
	c.setWriteDeadline(b.at())
	_, err := c.conn.Write(frame)
	return err
}

// ANCHOR_END: send

// setWriteDeadline sets deadline on the network connection for the frame
// about to be written, unless it is already set there; the caller holds the
// writer. Setting a deadline on a net.Conn takes its poll descriptor's lock
// on every call, and for a time resets a timer of the Go runtime's poller,
// even to the same time again (the time becomes a delay from now, and back).
// Only the holder of the writer sets write deadlines on conn, so netDeadline
// always says what is set there.
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
