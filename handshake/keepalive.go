package handshake

import (
	"errors"
	"net"
	"time"
)

// The keepalive defaults are gorilla's (examples/chat): a ping every 30 s
// of silence, and a peer that sends nothing, not even a pong, for 60 s is
// gone.
const (
	// DefaultPingPeriod is how long Upgrade's Conn lets its peer be silent
	// before it pings.
	DefaultPingPeriod = 30 * time.Second
	// DefaultPongWait is how long Upgrade's Conn waits for any frame from
	// its peer before reading fails.
	DefaultPongWait = 60 * time.Second
)

// keepalive is a Conn's ping schedule. It needs no timer and no goroutine:
// the read deadline is the timer. The reading goroutine alone touches it.
//
// The deadline moves lazily. Moving it on every frame would reset a timer
// of the runtime's poller on every frame (as the write deadline did: see
// send.go); instead every frame only notes the time, and when the deadline
// passes, rearm looks at that time: a peer heard within period gets a new
// deadline, a period after it was heard, and the read goes on. So a busy
// connection moves its deadline once a period, not once a frame, and the
// ping still goes out exactly a period after the peer fell silent.
//
// The time is noted on the monotonic clock alone, as time since the
// package's epoch (the one write deadlines are counted from, conn.go):
// time.Since(epoch) reads one clock, time.Now two (the wall clock too), and
// this is read for every frame.
type keepalive struct {
	period, wait time.Duration // 0: keepalive is off
	heard        time.Duration // when the last frame header arrived, since epoch
	pinged       bool          // a ping is out since then
}

// after is the time d after the peer was last heard.
func (k *keepalive) after(d time.Duration) time.Time { return epoch.Add(k.heard + d) }

// ANCHOR: keepalive

// SetKeepalive makes the Conn ping its peer after period of silence and
// fail the read if no frame at all arrives for wait (RFC 6455 §5.5.2: a
// ping "may serve ... to verify that the remote endpoint is still
// responsive"). Every frame is a sign of life, and the read deadline
// follows the last one, so a peer that vanishes, or stops half-way through
// a frame, is dropped. A wait <= 0
// turns keepalive off; a period that is not shorter than wait becomes
// wait/2, so a live peer always has time to answer. Call it before reading:
// the pings are sent from inside ReadMessage, while it waits.
func (c *Conn) SetKeepalive(period, wait time.Duration) {
	if wait <= 0 {
		c.keepalive = keepalive{}
		c.in.rearm = nil
		c.conn.SetReadDeadline(time.Time{})
		return
	}
	if period <= 0 || period >= wait {
		period = wait / 2
	}
	c.keepalive = keepalive{period: period, wait: wait, heard: time.Since(epoch)}
	c.in.rearm = c.rearm
	c.conn.SetReadDeadline(c.keepalive.after(period))
}

// alive is called by the reader for every frame header: the peer is there.
// It notes when; the deadline moves only when it passes (rearm), or now if
// a ping was out, whose deadline was the longer wait.
func (c *Conn) alive() {
	k := &c.keepalive
	if k.wait == 0 || c.draining.Load() {
		return
	}
	k.heard = time.Since(epoch)
	if k.pinged {
		k.pinged = false
		c.conn.SetReadDeadline(k.after(k.period))
	}
}

// rearm is called when a read's deadline has passed. If the peer was heard
// less than a period ago, the deadline moves to a period after that and
// rearm reports true: read again. Otherwise the deadline stands: a ping is
// due, or the peer is gone, or the Conn is closing (CloseWith's deadline
// is its own).
func (c *Conn) rearm() bool {
	k := &c.keepalive
	if k.wait == 0 || k.pinged || c.draining.Load() {
		return false
	}
	if time.Since(epoch) >= k.heard+k.period {
		return false
	}
	c.conn.SetReadDeadline(k.after(k.period))
	return true
}

// waitFrame waits, between messages, for the first byte of the next frame.
// When the read deadline passes there, the peer has been silent for period:
// ping it once, and give it until wait after it was last heard. A second
// deadline means it is gone; the error stays for the read to report.
func (c *Conn) waitFrame() {
	k := &c.keepalive
	for {
		c.in.wait()
		if c.in.err == nil || k.wait == 0 || k.pinged || c.draining.Load() ||
			!isTimeout(c.in.err) {
			return
		}
		c.in.err, k.pinged = nil, true
		_ = c.writeFrame(OpPing, c.controlBound())
		c.conn.SetReadDeadline(k.after(k.wait))
	}
}

// ANCHOR_END: keepalive

// isTimeout reports whether err is a deadline that passed.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
