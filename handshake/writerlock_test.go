package handshake

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriterLockGivesUpAtItsDeadline: a writer that finds the writer taken
// waits until its deadline and no longer, and the holder keeps it; a
// deadline already past fails at once; unlocked, the writer is free again.
func TestWriterLockGivesUpAtItsDeadline(t *testing.T) {
	l := newWriterLock()
	require.True(t, l.lock(time.Time{}))
	start := time.Now()
	assert.False(t, l.lock(time.Now().Add(20*time.Millisecond)))
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond, "gave up before its deadline")
	assert.False(t, l.lock(time.Now().Add(-time.Second)), "a past deadline")
	assert.True(t, l.held.Load(), "the holder lost the writer")
	l.unlock()
	assert.True(t, l.lock(time.Now().Add(-time.Second)), "a free writer is taken even with a past deadline")
}

// TestWriterLockWakesAWaiter: a writer that waits with no deadline gets
// the writer when its holder lets go.
func TestWriterLockWakesAWaiter(t *testing.T) {
	l := newWriterLock()
	require.True(t, l.lock(time.Time{}))
	got := make(chan bool)
	go func() { got <- l.lock(time.Time{}) }()
	for l.waiters.Load() == 0 { // until the second writer waits
		runtime.Gosched()
	}
	l.unlock()
	select {
	case ok := <-got:
		assert.True(t, ok)
	case <-time.After(time.Minute):
		t.Fatal("the waiting writer was not woken")
	}
	assert.True(t, l.held.Load())
}

// TestWriterLockExcludesAndWakes: many writers, some that wait for ever and
// some that give up soon, take turns. At most one holds the writer at a
// time (and -race sees the counter guarded), and every writer that waits
// for ever gets it: an unlock that lost its wake-up would leave one
// waiting, and the test would time out.
func TestWriterLockExcludesAndWakes(t *testing.T) {
	l := newWriterLock()
	var inside atomic.Int32
	counter, gaveUp := 0, atomic.Int32{}
	const writers, turns = 8, 2000
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range turns {
				deadline := time.Time{}
				if w%2 == 1 && i%3 == 0 {
					deadline = time.Now().Add(time.Microsecond)
				}
				if !l.lock(deadline) {
					gaveUp.Add(1)
					continue
				}
				if inside.Add(1) != 1 {
					t.Error("two writers held the writer at once")
				}
				counter++
				runtime.Gosched() // let the others find the writer taken
				inside.Add(-1)
				l.unlock()
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("a writer waits for ever: a wake-up was lost")
	}
	assert.Equal(t, writers*turns-int(gaveUp.Load()), counter)
	assert.False(t, l.held.Load())
}
