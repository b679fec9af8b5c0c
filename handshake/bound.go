package handshake

import "time"

// ANCHOR: bound

// bound is how long a write may wait for the writer and the wire, in one
// int64, so that it fits in the Conn's atomic and costs writeFrame's stack
// eight bytes, not a time.Time's 24:
//
//	0   no bound: wait for ever
//	> 0 a deadline, in nanoseconds since the package's epoch (SetWriteDeadline)
//	< 0 a timeout of -b nanoseconds from when the write starts to wait (SetWriteTimeout)
//
// A timeout is what a server that bounds every echo wants, and it is
// cheaper than a deadline: nearly every frame fits in the socket's buffer
// and never waits, so the clock is read only by a write that has to wait
// (at), not by every message.
type bound int64

// deadlineBound is the bound of deadline t; the zero time is none.
func deadlineBound(t time.Time) bound {
	if t.IsZero() {
		return 0
	}
	return bound(max(int64(t.Sub(epoch)), 1)) // long past still means a deadline
}

// timeoutBound is the bound of a timeout d; d <= 0 is none.
func timeoutBound(d time.Duration) bound {
	if d <= 0 {
		return 0
	}
	return bound(-d)
}

// at is the deadline the bound sets for a write that waits from now: a
// timeout starts counting here. The zero time means none.
func (b bound) at() time.Time {
	switch {
	case b > 0:
		return epoch.Add(time.Duration(b))
	case b < 0:
		return time.Now().Add(time.Duration(-b))
	}
	return time.Time{}
}

// fixed is the bound as a deadline: a timeout starts counting now. A write
// that waits for the writer fixes its bound first, so that the time it
// waited for the writer counts against it on the wire too.
func (b bound) fixed() bound {
	if b < 0 {
		return deadlineBound(b.at())
	}
	return b
}

// ANCHOR_END: bound

// sooner is the tighter of b and a timeout of d from now; for a timeout
// that needs no clock.
func (b bound) sooner(d time.Duration) bound {
	switch {
	case b < 0:
		return timeoutBound(min(time.Duration(-b), d))
	case b > 0 && time.Duration(b) < time.Since(epoch)+d:
		return b
	}
	return timeoutBound(d)
}
