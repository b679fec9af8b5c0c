package hub

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collect reads n messages from ch, or stops after a deadline or when the
// channel closes, and returns what it read.
func collect(ch <-chan string, n int) []string {
	var got []string
	deadline := time.After(2 * time.Second)
	for len(got) < n {
		select {
		case m, ok := <-ch:
			if !ok {
				return got
			}
			got = append(got, m)
		case <-deadline:
			return got
		}
	}
	return got
}

// receive reads n messages from ch, failing the test if they do not come.
func receive(t *testing.T, ch <-chan string, n int) []string {
	got := collect(ch, n)
	require.Len(t, got, n, "got %d of %d messages", len(got), n)
	return got
}

func TestEverySubscriberGetsEveryMessage(t *testing.T) {
	h := New(8)
	a, leaveA := h.Subscribe()
	defer leaveA()
	b, leaveB := h.Subscribe()
	defer leaveB()
	h.Publish("one")
	h.Publish("two")
	assert.Equal(t, []string{"one", "two"}, receive(t, a, 2))
	assert.Equal(t, []string{"one", "two"}, receive(t, b, 2))
}

// TestASlowSubscriberIsDroppedNotWaitedFor: one subscriber never reads.
// Publishing more than its queue holds must not block, must close its
// channel, and must not cost the fast subscriber a single message. The
// fast one reads each message before the next is published, so it never
// falls behind.
func TestASlowSubscriberIsDroppedNotWaitedFor(t *testing.T) {
	const queue, total = 4, 50
	h := New(queue)
	slow, _ := h.Subscribe()
	fast, leave := h.Subscribe()
	defer leave()

	for i := range total {
		published := make(chan struct{})
		go func() { h.Publish(fmt.Sprint(i)); close(published) }()
		select {
		case <-published:
		case <-time.After(5 * time.Second):
			t.Fatalf("Publish blocked on the slow subscriber at message %d", i)
		}
		require.Equal(t, []string{fmt.Sprint(i)}, collect(fast, 1), "the fast subscriber lost message %d", i)
	}

	// The hub must have closed the slow channel: collect stops at the
	// close, after the messages that fit in its queue.
	assert.Equal(t, []string{"0", "1", "2", "3"}, collect(slow, total), "the slow subscriber keeps what fit in its queue, then is closed")
}

func TestLeaveClosesTheChannel(t *testing.T) {
	h := New(1)
	ch, leave := h.Subscribe()
	leave()
	leave() // twice is fine
	select {
	case _, ok := <-ch:
		assert.False(t, ok)
	case <-time.After(5 * time.Second):
		t.Fatal("leave did not close the channel")
	}
	h.Publish("after leaving") // must not panic
}
