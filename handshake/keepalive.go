package handshake

import (
	"sync"
	"time"
)

// The keepalive defaults are gorilla's (examples/chat): a ping every 30 s,
// and a peer that sends nothing, not even a pong, for 60 s is gone.
const (
	// DefaultPingPeriod is how often Upgrade's Conn pings its peer.
	DefaultPingPeriod = 30 * time.Second
	// DefaultPongWait is how long Upgrade's Conn waits for any frame from
	// its peer before the next read fails.
	DefaultPongWait = 60 * time.Second
)

// keepalive is a Conn's ping timer. It holds no goroutine while it waits:
// time.AfterFunc runs the ping on a goroutine of its own only when it is due.
type keepalive struct {
	mu     sync.Mutex
	timer  *time.Timer // nil while keepalive is off
	period time.Duration
	wait   time.Duration // read by the reading goroutine only after SetKeepalive
	closed bool
}

// ANCHOR: keepalive

// SetKeepalive pings the peer every period and fails the next read if no
// frame at all arrives for wait (RFC 6455 §5.5.2: a ping "may serve ... to
// verify that the remote endpoint is still responsive"). Every frame moves
// the read deadline wait into the future, so a peer that vanishes, or stops
// half-way through a frame, is dropped after wait. A wait <= 0 turns
// keepalive off. A period that is not shorter than wait becomes wait/2, so a
// live peer always has time to answer. Call it before reading.
func (c *Conn) SetKeepalive(period, wait time.Duration) {
	k := &c.keepalive
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.timer != nil {
		k.timer.Stop()
		k.timer = nil
	}
	if wait <= 0 || k.closed {
		k.wait = 0
		c.conn.SetReadDeadline(time.Time{})
		return
	}
	if period <= 0 || period >= wait {
		period = wait / 2
	}
	k.period, k.wait = period, wait
	c.conn.SetReadDeadline(time.Now().Add(wait))
	k.timer = time.AfterFunc(period, c.ping)
}

// ping runs on the timer's goroutine: send a ping, then wait another period.
// A ping that cannot be written in time is no loss: the read deadline will
// drop a peer that does not read.
func (c *Conn) ping() {
	k := &c.keepalive
	k.mu.Lock()
	stopped := k.closed || k.timer == nil
	k.mu.Unlock()
	if stopped {
		return
	}
	_ = c.writeFrame(OpPing, c.controlDeadline())
	k.mu.Lock()
	if !k.closed && k.timer != nil {
		k.timer.Reset(k.period)
	}
	k.mu.Unlock()
}

// alive is called by the reader for every frame header: the peer is there.
// Not inlined: its locals would grow the frame of readMessage, which an
// idle connection's goroutine keeps on its stack.
//
//go:noinline
func (c *Conn) alive() {
	if c.keepalive.wait > 0 && !c.draining.Load() {
		c.conn.SetReadDeadline(time.Now().Add(c.keepalive.wait))
	}
}

// ANCHOR_END: keepalive

// stopKeepalive stops the ping timer for good.
func (c *Conn) stopKeepalive() {
	k := &c.keepalive
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closed = true
	if k.timer != nil {
		k.timer.Stop()
	}
}
