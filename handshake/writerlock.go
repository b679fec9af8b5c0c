package handshake

import (
	"sync/atomic"
	"time"
)

// ANCHOR: writer-lock

// writerLock lets one frame at a time onto the wire, and lets a writer
// give up waiting at a deadline: a goodbye must not queue behind a message
// to a peer that stopped reading. A sync.Mutex cannot be waited for with a
// timeout. A channel of one slot can, but costs a channel send and receive,
// each under the channel's lock, on every frame, although nearly every
// frame finds the writer free. So taking a free writer is one
// compare-and-swap of held; only a writer that finds it taken waits, on
// wake, with its deadline.
type writerLock struct {
	held    atomic.Bool
	waiters atomic.Int32  // writers inside wait
	wake    chan struct{} // one slot: a token that tells a waiter to try again
}

func newWriterLock() writerLock { return writerLock{wake: make(chan struct{}, 1)} }

// lock takes the writer, waiting until deadline at most (for ever if it is
// zero), and reports whether it did.
func (l *writerLock) lock(deadline time.Time) bool {
	return l.tryLock() || l.wait(deadline)
}

// tryLock takes the writer if it is free, and reports whether it did.
func (l *writerLock) tryLock() bool { return l.held.CompareAndSwap(false, true) }

// wait is lock for a writer that found the writer taken. It counts itself
// in waiters before it tries again, so an unlock that comes after a failed
// try sees it and leaves a token: no wake-up is lost. A token may find no
// waiter, or wake one that loses the race to a newcomer; either way the
// woken writer only tries again. Not inlined, so that lock stays small
// enough to inline.
//
//go:noinline
func (l *writerLock) wait(deadline time.Time) bool {
	l.waiters.Add(1)
	defer l.waiters.Add(-1)
	var expired <-chan time.Time
	if !deadline.IsZero() {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		expired = t.C
	}
	for {
		if l.held.CompareAndSwap(false, true) {
			return true
		}
		select {
		case <-l.wake:
		case <-expired:
			return l.held.CompareAndSwap(false, true)
		}
	}
}

// unlock lets the writer go, and wakes a waiter if there is one.
func (l *writerLock) unlock() {
	l.held.Store(false)
	if l.waiters.Load() > 0 {
		select {
		case l.wake <- struct{}{}:
		default: // a token is there already
		}
	}
}

// ANCHOR_END: writer-lock
