package events

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRead: cursors pick the events after them, a page at a time; a
// cursor older than the ring gets what the ring still holds and is told
// exactly which ids are gone.
func TestRead(t *testing.T) {
	cases := []struct {
		name      string
		capacity  int
		publish   int
		since     int64
		maxEvents int
		maxBytes  int
		want      []int64
		lost      Lost
		more      bool
	}{
		{"empty log", 4, 0, 0, 10, 100, []int64{}, Lost{}, false},
		{"everything", 4, 3, 0, 10, 100, []int64{1, 2, 3}, Lost{}, false},
		{"after a cursor", 4, 3, 1, 10, 100, []int64{2, 3}, Lost{}, false},
		{"up to date", 4, 3, 3, 10, 100, []int64{}, Lost{}, false},
		{"ring wrapped: the newest four remain, 1 to 6 are lost", 4, 10, 0, 10, 100, []int64{7, 8, 9, 10}, Lost{1, 6}, false},
		{"cursor inside the wrapped ring", 4, 10, 8, 10, 100, []int64{9, 10}, Lost{}, false},
		{"cursor just before the ring: nothing lost", 4, 10, 6, 10, 100, []int64{7, 8, 9, 10}, Lost{}, false},
		{"cursor one before that: one lost", 4, 10, 5, 10, 100, []int64{7, 8, 9, 10}, Lost{6, 6}, false},
		{"issue 10: since=5 after 1,105 publishes", 1024, 1105, 5, 2000, 1 << 20, ids(seq(82, 1105)), Lost{6, 81}, false},
		{"at most maxEvents", 8, 5, 0, 2, 100, []int64{1, 2}, Lost{}, true},
		{"at most maxBytes of text (3 per event)", 8, 5, 0, 10, 7, []int64{1, 2}, Lost{}, true},
		{"one event even if it alone is over maxBytes", 8, 5, 0, 10, 1, []int64{1}, Lost{}, true},
		{"the limits, exactly met, leave nothing more", 8, 2, 0, 2, 6, []int64{1, 2}, Lost{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLog(tc.capacity)
			for range tc.publish {
				l.Publish("xyz")
			}
			p := l.Read(tc.since, tc.maxEvents, tc.maxBytes)
			assert.Equal(t, tc.want, ids(p.Events))
			assert.Equal(t, tc.lost, p.Lost)
			assert.Equal(t, tc.more, p.More)
		})
	}
}

// TestSubscribeMeetsTheRing: what the ring holds up to Subscribe's last and
// what the queue gets after it meet exactly.
func TestSubscribeMeetsTheRing(t *testing.T) {
	l := NewLog(0)
	l.Publish("a")
	l.Publish("b")
	sub, last := l.Subscribe(4)
	l.Publish("c")
	assert.Equal(t, int64(2), last, "the ring holds everything up to last")
	assert.Equal(t, int64(3), (<-sub.Events).ID, "the queue holds everything after it")
	assert.Empty(t, sub.Events)
}

// TestFullQueueDrops: a subscriber whose queue is full is dropped, and the
// others are not.
func TestFullQueueDrops(t *testing.T) {
	l := NewLog(0)
	slow, _ := l.Subscribe(2)
	fast, _ := l.Subscribe(2)
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
	got := NewLog(0).Wait(ctx, 0, MaxAnswerEvents, MaxAnswerBytes)
	assert.NotNil(t, got.Events)
	assert.Empty(t, got.Events)
}

func ids(events []Event) []int64 {
	out := []int64{}
	for _, e := range events {
		out = append(out, e.ID)
	}
	return out
}

// seq returns events numbered from to to, for comparing ids.
func seq(from, to int64) []Event {
	out := []Event{}
	for id := from; id <= to; id++ {
		out = append(out, Event{ID: id})
	}
	return out
}
