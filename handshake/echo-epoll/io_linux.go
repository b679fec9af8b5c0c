package main

import (
	"time"

	"golang.org/x/sys/unix"
)

// ANCHOR: readable

// readable reads what one connection has, once (the loop is
// level-triggered: more is reported on the next turn), and uses every
// whole request head and frame in it. Bytes that end in the middle of
// something move from the loop's scratch buffer into a buffer of the
// connection's own: only then does a connection hold memory.
func (l *loop) readable(c *conn) {
	n, err := unix.Read(int(c.fd), l.scratch)
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return
	case err != nil || n == 0: // reset, or the peer's FIN: nothing more will come
		l.close(c)
		return
	case c.state == stateDraining: // after our close: read and drop (handshake's drain)
		return
	}
	if c.state != stateHandshake { // the handshake's deadline runs from accept
		c.expires = time.Now().Add(l.cfg.readWait).UnixNano()
	}
	data := l.scratch[:n]
	if c.in != nil {
		*c.in = append(*c.in, data...)
		data = *c.in
	}
	l.consume(c, data)
}

// consume uses what it can of data, the connection's unused input, and
// keeps the rest.
func (l *loop) consume(c *conn, data []byte) {
	used := l.process(c, data)
	if c.state == stateClosed {
		return
	}
	rest := data[used:]
	switch {
	case c.in == nil && len(rest) > 0:
		c.in = getBuf()
		*c.in = append(*c.in, rest...)
	case c.in != nil && len(rest) == 0:
		putBuf(c.in)
		c.in = nil
	case c.in != nil && used > 0:
		*c.in = (*c.in)[:copy(*c.in, rest)]
	}
}

// ANCHOR_END: readable

// ANCHOR: process

// process uses the whole request heads and frames at the start of data and
// returns how many bytes it used. It stops early while an echo waits for
// the peer to read (c.out): the bytes behind it stay unread in c.in, and
// epoll stops reporting the socket's input, so the kernel's receive buffer
// fills and TCP tells the peer to wait. That is the bounded write queue:
// one echo per connection, never more.
func (l *loop) process(c *conn, data []byte) int {
	used := 0
	if c.state == stateHandshake {
		used = l.upgrade(c, data)
	}
	for c.state == stateOpen && c.out == nil {
		n := l.frame(c, data[used:])
		if n == 0 {
			break
		}
		used += n
	}
	if c.state == stateClosing || c.state == stateDraining {
		return len(data) // after our close, input is not processed (§7.1.7)
	}
	return used
}

// ANCHOR_END: process

// upgrade answers the opening handshake once its head has arrived, and
// returns the bytes it used.
func (l *loop) upgrade(c *conn, data []byte) int {
	end := headEnd(data)
	if end > maxRequest || (end == 0 && len(data) > maxRequest) {
		l.refuse(c, &refusal{status: 431, reason: "request head over 4 KiB"})
		return len(data)
	}
	if end == 0 {
		return 0
	}
	r, f := parseRequest(data[:end])
	var exact bool
	if f == nil {
		exact, f = r.check()
	}
	if f != nil {
		l.refuse(c, f)
		return end
	}
	var resp [160]byte
	c.state = stateOpen
	c.exact = exact
	l.send(c, appendSwitching(resp[:0], r.key))
	return end
}

// refuse answers the handshake with an HTTP error, then closes.
func (l *loop) refuse(c *conn, f *refusal) {
	var resp [512]byte
	c.state = stateClosing
	l.send(c, appendRefusal(resp[:0], f))
	l.closing(c)
}

// ANCHOR: send

// send writes parts to the socket with one writev, at once if the socket
// takes them. What it does not take is copied into c.out, epoll watches for
// room instead of input, and the peer has writeWait to read it. The parts
// may be the loop's scratch buffer: nothing keeps a reference to them.
func (l *loop) send(c *conn, parts ...[]byte) {
	if c.state == stateClosed {
		return
	}
	if c.out != nil {
		for _, p := range parts {
			*c.out = append(*c.out, p...)
		}
		return
	}
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	n, err := unix.Writev(int(c.fd), parts)
	if err == unix.EAGAIN || err == unix.EINTR {
		n, err = 0, nil
	}
	if err != nil {
		l.close(c)
		return
	}
	if n == total {
		return
	}
	c.out = getBuf()
	for _, p := range parts {
		skip := min(n, len(p))
		n -= skip
		*c.out = append(*c.out, p[skip:]...)
	}
	c.expires = time.Now().Add(l.cfg.writeWait).UnixNano()
	// Not EPOLLRDHUP: it is level-triggered, so a half-closed peer would be
	// reported again and again, in a spin.
	l.setEvents(c, unix.EPOLLOUT)
}

// flush writes more of c.out. When all of it is out, the connection reads
// again, starting with the input it left waiting.
func (l *loop) flush(c *conn) {
	n, err := unix.Write(int(c.fd), (*c.out)[c.outOff:])
	if err == unix.EAGAIN || err == unix.EINTR {
		return
	}
	if err != nil {
		l.close(c)
		return
	}
	c.outOff += int32(n)
	c.expires = time.Now().Add(l.cfg.writeWait).UnixNano()
	if int(c.outOff) < len(*c.out) {
		return
	}
	putBuf(c.out)
	c.out, c.outOff = nil, 0
	if c.state == stateClosing {
		l.closing(c)
		return
	}
	l.setEvents(c, unix.EPOLLIN|unix.EPOLLRDHUP)
	if c.in != nil && c.state == stateOpen {
		l.consume(c, *c.in)
	}
}

// ANCHOR_END: send

// closing finishes a connection whose last bytes (a close frame, an HTTP
// error) are queued: once they are written, it shuts down our side (a FIN
// after them) and drains the peer's input until the peer closes, for
// closeGrace at most, so that unread input cannot turn our close into a
// reset (see handshake's drain).
func (l *loop) closing(c *conn) {
	if c.state == stateClosed {
		return
	}
	c.state = stateClosing
	if c.out != nil {
		return // flush calls again when c.out is written
	}
	c.release()
	_ = unix.Shutdown(int(c.fd), unix.SHUT_WR)
	c.state = stateDraining
	c.expires = time.Now().Add(l.cfg.closeGrace).UnixNano()
	l.setEvents(c, unix.EPOLLIN|unix.EPOLLRDHUP)
}
