package events

import (
	"context"
	"sync"
	"time"
)

// Event is one thing that happened. On the wire it is the JSON object
// {"id": N, "data": "...", "time": "2026-11-24T15:04:05.123456789Z"}.
type Event struct {
	// ID numbers events from 1 with no gaps: it is the cursor.
	ID int64 `json:"id"`
	// Data is the event's text, as it was published.
	Data string `json:"data"`
	// Time is when the server published it, so a client can compute the
	// delivery latency.
	Time time.Time `json:"time"`
}

// ANCHOR: log
// Log is an append-only sequence of events that keeps only the newest
// Capacity of them. It is safe for concurrent use. Readers never hold a lock
// while they wait: they take a snapshot of the "changed" channel, which
// Publish closes and replaces, so one close wakes every waiter at once.
type Log struct {
	mu      sync.Mutex
	ring    []Event       // ring[(id-1) % len(ring)] holds event id
	last    int64         // id of the newest event; 0 when empty
	changed chan struct{} // closed by the next Publish
	subs    map[*Subscriber]struct{}
	now     func() time.Time
}

// ANCHOR_END: log

// DefaultCapacity is how many events a Log keeps unless told otherwise:
// enough for a client that was away for a few minutes at one event a second.
const DefaultCapacity = 1024

// NewLog returns an empty log that keeps the newest capacity events
// (DefaultCapacity if capacity <= 0).
func NewLog(capacity int) *Log {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &Log{
		ring:    make([]Event, capacity),
		changed: make(chan struct{}),
		subs:    make(map[*Subscriber]struct{}),
		now:     time.Now,
	}
}

// ANCHOR: publish
// Publish appends an event with the next id and hands it to every live
// subscriber, without ever waiting for one: a subscriber whose queue is full
// is dropped (see Subscriber). It returns the event.
func (l *Log) Publish(data string) Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last++
	e := Event{ID: l.last, Data: data, Time: l.now().UTC()}
	l.ring[(e.ID-1)%int64(len(l.ring))] = e
	close(l.changed) // wake every long poll ...
	l.changed = make(chan struct{})
	for s := range l.subs { // ... and push to every WebSocket
		if !s.offer(e) {
			delete(l.subs, s)
		}
	}
	return e
}

// ANCHOR_END: publish

// Last returns the id of the newest event, 0 if there is none.
func (l *Log) Last() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// ANCHOR: since
// Since returns the events with id > since, oldest first, and never nil. A
// cursor older than the ring gets what the ring still holds.
func (l *Log) Since(since int64) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sinceLocked(since)
}

func (l *Log) sinceLocked(since int64) []Event {
	oldest := max(l.last-int64(len(l.ring))+1, 1)
	from := max(since+1, oldest)
	out := make([]Event, 0, max(l.last-from+1, 0))
	for id := from; id <= l.last; id++ {
		out = append(out, l.ring[(id-1)%int64(len(l.ring))])
	}
	return out
}

// ANCHOR_END: since

// ANCHOR: wait
// Wait is the heart of long polling: it returns the events after since as
// soon as there is at least one, or an empty slice when ctx is done.
func (l *Log) Wait(ctx context.Context, since int64) []Event {
	for {
		l.mu.Lock()
		events := l.sinceLocked(since)
		changed := l.changed
		l.mu.Unlock()
		if len(events) > 0 {
			return events
		}
		select {
		case <-changed: // something was published: look again
		case <-ctx.Done():
			return []Event{}
		}
	}
}

// ANCHOR_END: wait
