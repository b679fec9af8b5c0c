package handshake

import "time"

// ANCHOR: send

// send writes one encoded frame within deadline (none if zero); the caller
// holds the writer.
//
// A deadline costs: setting one on a net.Conn resets a timer of the Go
// runtime's poller, under a lock, and a server that bounds every echo sets
// a new one for every message. Yet a deadline matters only to a write that
// has to wait, for a peer that does not read. So send first
// offers the frame to the kernel without waiting (tryWrite: the socket's
// buffer takes all of it, almost always); only if some of it is left does it
// arm the deadline and wait, and it disarms it again once the frame is out,
// so that the next frame finds no deadline set. A deadline already past
// fails at once, as net.Conn's does.
func (c *Conn) send(frame []byte, deadline time.Time) error {
	if !deadline.IsZero() && !c.noRaw && time.Now().Before(deadline) {
		n, all := c.tryWrite(frame)
		if all {
			return nil
		}
		if !c.noRaw { // some is left: wait for the peer, within the deadline
			c.setWriteDeadline(deadline)
			if _, err := c.conn.Write(frame[n:]); err != nil {
				return err
			}
			c.setWriteDeadline(time.Time{})
			return nil
		}
	}
	c.setWriteDeadline(deadline) // no file descriptor: as net.Conn does
	_, err := c.conn.Write(frame)
	return err
}

// ANCHOR_END: send
