package hub

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Most tests run in a synctest bubble (and call leave at their end, not
// deferred: a leave that waits for a stuck Publish's lock would hang the
// bubble instead of failing the test): synctest.Wait returns once every
// goroutine of the test is blocked, so "Publish has returned" or "Publish
// is stuck" is a fact, not a guess with a sleep; and time is fake, so a
// Publish that waits for a timer is measured exactly, and at once.

// subscribe subscribes to h, failing the test if there is no channel.
func subscribe(t *testing.T, h *Hub) (<-chan string, func()) {
	t.Helper()
	ch, leave := h.Subscribe()
	require.NotNil(t, ch, "step 1: Subscribe returns the subscriber's own channel")
	require.NotNil(t, leave, "step 3: Subscribe returns a leave function")
	return ch, leave
}

// drain returns what ch holds now, and whether it is closed.
func drain(ch <-chan string) (got []string, closed bool) {
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return got, true
			}
			got = append(got, m)
		default:
			return got, false
		}
	}
}

// publish runs h.Publish(msg) in the bubble and fails the test if it
// blocks or takes any (fake) time at all.
func publish(t *testing.T, h *Hub, msg string) {
	t.Helper()
	done := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		h.Publish(msg)
		done <- time.Since(start)
	}()
	select {
	case took := <-done:
		require.Zero(t, took, "step 2: Publish never waits for a subscriber, not even briefly; Publish(%q) took %v", msg, took)
	case <-time.After(time.Hour): // fake time: fires at once if Publish is stuck
		t.Fatalf("step 2: Publish must never block; Publish(%q) is stuck (on a full subscriber?)", msg)
	}
}

func TestEverySubscriberGetsEveryMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(8)
		a, leaveA := subscribe(t, h)
		b, leaveB := subscribe(t, h)
		publish(t, h, "one")
		publish(t, h, "two")
		for name, ch := range map[string]<-chan string{"a": a, "b": b} {
			got, _ := drain(ch)
			assert.Equal(t, []string{"one", "two"}, got, "every subscriber (here %s) gets every message, in order", name)
		}
		leaveA()
		leaveB()
	})
}

// TestASlowSubscriberIsDroppedNotWaitedFor: one subscriber never reads.
// Publishing more than its queue holds must not block, must close its
// channel, and must not cost the fast subscriber a single message.
func TestASlowSubscriberIsDroppedNotWaitedFor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const queue, total = 4, 50
		h := New(queue)
		slow, leaveSlow := subscribe(t, h)
		fast, leave := subscribe(t, h)
		for i := range total {
			publish(t, h, fmt.Sprint(i))
			got, closed := drain(fast)
			require.False(t, closed, "the fast subscriber keeps up, so it must never be dropped")
			require.Equal(t, []string{fmt.Sprint(i)}, got, "the fast subscriber lost message %d", i)
		}
		got, closed := drain(slow)
		assert.Equal(t, []string{"0", "1", "2", "3"}, got, "the slow subscriber keeps what fit in its queue of %d", queue)
		assert.True(t, closed, "step 2: a subscriber whose queue is full is dropped: its channel is closed")
		assert.NotPanics(t, leaveSlow, "step 3: leave after the hub dropped the subscriber must be safe (a second close of a channel panics)")
		leave()
	})
}

// TestManySlowSubscribersCostNothing: a Publish to twenty full queues
// returns at once; a hub that waits even briefly for each one holds up the
// whole room.
func TestManySlowSubscribersCostNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(1)
		for range 20 {
			subscribe(t, h)
		}
		publish(t, h, "fills every queue")
		publish(t, h, "drops every subscriber")
		publish(t, h, "to nobody")
	})
}

func TestLeaveClosesTheChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(1)
		ch, leave := subscribe(t, h)
		leave()
		assert.NotPanics(t, leave, "step 3: calling leave twice must be safe")
		_, closed := drain(ch)
		assert.True(t, closed, "step 3: leave closes the subscriber's channel")
		assert.NotPanics(t, func() { publish(t, h, "after leaving") }, "a Publish after a leave must not send on the closed channel")
	})
}

// TestSafeFromManyGoroutines: subscribers come and go, each read by its
// own goroutine, while others publish. Run it with -race (go run ./check
// does): a hub without a mutex fails here.
func TestSafeFromManyGoroutines(t *testing.T) {
	h := New(4)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			ch, leave := h.Subscribe()
			if ch == nil || leave == nil {
				t.Error("step 1: Subscribe returns a channel and a leave function")
				return
			}
			var reader sync.WaitGroup
			reader.Go(func() {
				for range ch { // until leave, or the hub, closes it
				}
			})
			for j := range 20 {
				h.Publish(fmt.Sprint(i, j))
			}
			leave()
			reader.Wait()
		})
	}
	wg.Wait()
}
