package events

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSince: cursors pick the events after them; a cursor older than the
// ring gets what the ring still holds.
func TestSince(t *testing.T) {
	cases := []struct {
		name     string
		capacity int
		publish  int
		since    int64
		want     []int64
	}{
		{"empty log", 4, 0, 0, []int64{}},
		{"everything", 4, 3, 0, []int64{1, 2, 3}},
		{"after a cursor", 4, 3, 1, []int64{2, 3}},
		{"up to date", 4, 3, 3, []int64{}},
		{"ring wrapped: the newest four remain", 4, 10, 0, []int64{7, 8, 9, 10}},
		{"cursor inside the wrapped ring", 4, 10, 8, []int64{9, 10}},
		{"cursor just before the ring", 4, 10, 6, []int64{7, 8, 9, 10}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLog(tc.capacity)
			for range tc.publish {
				l.Publish("x")
			}
			assert.Equal(t, tc.want, ids(l.Since(tc.since)))
		})
	}
}

// TestSubscribeMeetsBacklog: the backlog and the queue meet exactly.
func TestSubscribeMeetsBacklog(t *testing.T) {
	l := NewLog(0)
	l.Publish("a")
	l.Publish("b")
	sub, backlog := l.Subscribe(1, 4)
	l.Publish("c")
	assert.Equal(t, []int64{2}, ids(backlog))
	assert.Equal(t, int64(3), (<-sub.Events).ID)
}

// TestFullQueueDrops: a subscriber whose queue is full is dropped, and the
// others are not.
func TestFullQueueDrops(t *testing.T) {
	l := NewLog(0)
	slow, _ := l.Subscribe(0, 2)
	fast, _ := l.Subscribe(0, 2)
	for range 3 {
		l.Publish("x")
		<-fast.Events
	}
	assert.Equal(t, 1, l.Subscribers())
	select {
	case <-slow.Dropped:
	default:
		t.Fatal("the slow subscriber was not told it was dropped")
	}
	select {
	case <-fast.Dropped:
		t.Fatal("the fast subscriber was dropped")
	default:
	}
}

// TestWaitEndsWithContext: Wait gives [] (not nil) when ctx ends.
func TestWaitEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := NewLog(0).Wait(ctx, 0)
	assert.NotNil(t, got)
	assert.Empty(t, got)
}

func ids(events []Event) []int64 {
	out := []int64{}
	for _, e := range events {
		out = append(out, e.ID)
	}
	return out
}
