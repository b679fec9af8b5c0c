package main

import (
	"log"
	"time"

	"golang.org/x/sys/unix"
)

// config is the server's limits.
type config struct {
	maxMessage    int           // the largest message; a bigger one is failed with 1009
	handshakeWait time.Duration // from accept to the end of the request head
	readWait      time.Duration // for the next bytes of a frame or message already started
	writeWait     time.Duration // for the peer to take the next bytes of an echo
	closeGrace    time.Duration // for the peer's close after ours (handshake.CloseGrace)
}

// loop is one readiness loop: one epoll instance, the listening socket,
// and every connection this process accepted. Only its goroutine touches
// them, so nothing here is locked.
type loop struct {
	cfg     config
	ep      int     // the epoll instance
	lfd     int     // the listening socket
	wake    int     // an eventfd that ends the loop (SIGTERM)
	conns   []*conn // by file descriptor
	open    int     // connections accepted and not yet closed
	busy    []*conn // connections with a deadline; idle ones are not here
	scratch []byte  // every read lands here first, one connection at a time
	events  []unix.EpollEvent
	log     *log.Logger

	acceptPaused bool // out of file descriptors: the listener is off for a moment
	resumeAt     int64
	lastMFile    int64 // when "too many open files" was last logged
}

// scratchSize is the loop's read buffer: 64 KiB, for all its connections,
// since a read is handled whole before the next one starts.
const scratchSize = 64 << 10

func newLoop(cfg config, lfd int, logger *log.Logger) (*loop, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	wake, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(ep)
		return nil, err
	}
	l := &loop{cfg: cfg, ep: ep, lfd: lfd, wake: wake, scratch: make([]byte, scratchSize),
		events: make([]unix.EpollEvent, 256), log: logger}
	for _, fd := range []int{lfd, wake} {
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// stop makes run return; it may be called from any goroutine.
func (l *loop) stop() {
	var one = [8]byte{1}
	_, _ = unix.Write(l.wake, one[:])
}

// ANCHOR: run

// run waits for readiness and handles it until stop is called. epoll is
// level-triggered here: a socket with unread bytes is reported again on
// the next wait. So the loop may read each ready socket once per turn
// (64 KiB at most) and move on: a connection that floods gets its turn
// like every other, and none is starved. Edge-triggered epoll reports a
// socket once per new arrival, which saves a system call per turn but
// obliges the loop to read until EAGAIN, or to remember who still has
// bytes: the flooder's bytes first, or a bookkeeping of its own.
func (l *loop) run() error {
	for {
		timeout := -1 // idle connections have no deadline: sleep until something happens
		if len(l.busy) > 0 || l.acceptPaused {
			timeout = 100 // milliseconds: check the deadlines
		}
		n, err := unix.EpollWait(l.ep, l.events, timeout)
		if err != nil && err != unix.EINTR {
			return err
		}
		for _, ev := range l.events[:max(n, 0)] {
			switch fd := int(ev.Fd); {
			case fd == l.wake:
				l.goodbye()
				return nil
			case fd == l.lfd:
				l.accept()
			default:
				if c := l.lookup(fd); c != nil {
					l.handle(c, ev.Events)
				}
			}
		}
		l.sweep(time.Now().UnixNano())
	}
}

// ANCHOR_END: run

// handle is one readiness report for a connection.
func (l *loop) handle(c *conn, events uint32) {
	if events&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) != 0 && c.out != nil {
		l.flush(c)
	}
	if c.state != stateClosed && c.out == nil && events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
		l.readable(c)
	}
	l.track(c)
}

func (l *loop) lookup(fd int) *conn {
	if fd < len(l.conns) {
		return l.conns[fd]
	}
	return nil
}

// ANCHOR: accept

// accept takes the connections the kernel has completed, up to 256 a turn.
// Out of file descriptors (EMFILE: this process's limit, `ulimit -n`), the
// pending connection stays in the kernel's backlog, and a level-triggered
// listener would be reported again at once: so the listener is switched
// off until a connection closes, or for 100 ms.
func (l *loop) accept() {
	for range 256 {
		fd, _, err := unix.Accept4(l.lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch {
		case err == unix.EAGAIN:
			return
		case err == unix.EINTR || err == unix.ECONNABORTED:
			continue
		case err == unix.EMFILE || err == unix.ENFILE:
			now := time.Now().UnixNano()
			if now-l.lastMFile > int64(time.Second) {
				l.log.Printf("accept4: %v (%d connections open); pausing accept",
					err, l.open)
				l.lastMFile = now
			}
			l.pauseAccept(now)
			return
		case err != nil:
			l.log.Printf("accept4: %v", err)
			return
		}
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		// A peer that vanishes without a FIN is found by TCP's keepalive,
		// in the kernel: it costs no timer and no memory here.
		_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, 1)
		c := &conn{fd: int32(fd), state: stateHandshake, busyAt: -1,
			events: unix.EPOLLIN | unix.EPOLLRDHUP}
		ev := unix.EpollEvent{Events: c.events, Fd: int32(fd)}
		if err := unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			unix.Close(fd)
			continue
		}
		for fd >= len(l.conns) {
			l.conns = append(l.conns, make([]*conn, len(l.conns)+1024)...)
		}
		l.conns[fd] = c
		l.open++
		c.expires = time.Now().Add(l.cfg.handshakeWait).UnixNano()
		l.track(c)
	}
}

// ANCHOR_END: accept

func (l *loop) pauseAccept(now int64) {
	if !l.acceptPaused {
		_ = unix.EpollCtl(l.ep, unix.EPOLL_CTL_DEL, l.lfd, nil)
		l.acceptPaused = true
	}
	l.resumeAt = now + int64(100*time.Millisecond)
}

func (l *loop) resumeAccept() {
	if l.acceptPaused {
		_ = unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, l.lfd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(l.lfd)})
		l.acceptPaused = false
	}
}

// track keeps the list of busy connections: a connection that waits for
// something joins it, one that has all it needs leaves it.
func (l *loop) track(c *conn) {
	switch busy := c.state != stateClosed && c.busy(); {
	case busy && c.busyAt < 0:
		c.busyAt = int32(len(l.busy))
		l.busy = append(l.busy, c)
	case !busy && c.busyAt >= 0:
		last := l.busy[len(l.busy)-1]
		l.busy[c.busyAt] = last
		last.busyAt = c.busyAt
		l.busy[len(l.busy)-1] = nil
		l.busy = l.busy[:len(l.busy)-1]
		c.busyAt = -1
	}
}

// ANCHOR: sweep

// sweep closes every busy connection whose deadline has passed: a
// handshake that never ended, half a frame and then silence, a peer that
// stopped reading its echoes, a peer that never answered our close.
func (l *loop) sweep(now int64) {
	if l.acceptPaused && now >= l.resumeAt {
		l.resumeAccept()
	}
	for i := 0; i < len(l.busy); {
		c := l.busy[i]
		if now < c.expires {
			i++
			continue
		}
		l.close(c) // moves the last busy connection to i
	}
}

// ANCHOR_END: sweep

// close closes the socket and forgets the connection.
func (l *loop) close(c *conn) {
	if c.state == stateClosed {
		return
	}
	c.state = stateClosed
	c.release()
	l.track(c)
	l.conns[c.fd] = nil
	_ = unix.Close(int(c.fd)) // also removes it from the epoll set
	l.open--
	l.resumeAccept()
}

// setEvents changes what epoll watches on c for.
func (l *loop) setEvents(c *conn, events uint32) {
	if c.events == events {
		return
	}
	c.events = events
	if err := unix.EpollCtl(l.ep, unix.EPOLL_CTL_MOD, int(c.fd), &unix.EpollEvent{Events: events, Fd: c.fd}); err != nil {
		l.close(c)
	}
}

// goodbye is the shutdown: every open connection gets a close frame with
// 1001 (going away) if its socket takes it at once, and is closed.
func (l *loop) goodbye() {
	frame := []byte{0x88, 22, 0x03, 0xE9}
	frame = append(frame, "server shutting down"...)
	for _, c := range l.conns {
		if c == nil {
			continue
		}
		if c.state == stateOpen && c.out == nil {
			_, _ = unix.Write(int(c.fd), frame)
		}
		l.close(c)
	}
	unix.Close(l.lfd)
}
