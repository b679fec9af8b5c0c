package events

import (
	"context"
	"strconv"
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
// Lost names events a client asked for that the ring no longer holds: ids
// From to To, both included. The zero Lost means nothing was lost.
type Lost struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// String is how the HTTP header X-Events-Lost writes it: "6-81".
func (g Lost) String() string {
	return strconv.FormatInt(g.From, 10) + "-" + strconv.FormatInt(g.To, 10)
}

// Page is one bounded answer to "what came after my cursor?".
type Page struct {
	// Events are the events after the cursor, oldest first, never nil.
	Events []Event
	// Lost is the ids after the cursor that have left the ring, if any: a
	// cursor older than the ring gets what remains and is told what is gone.
	Lost Lost
	// More says events were left out by the limits: ask again from the
	// last event's id for the rest.
	More bool
}

// Read returns the events after since, oldest first: at most maxEvents of
// them, and no more than maxBytes of event text in all, but always at least
// one if there is one (an event is at most MaxPublishBytes). The limits
// bound what one answer costs the server, however far behind the client is.
func (l *Log) Read(since int64, maxEvents, maxBytes int) Page {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.readLocked(since, maxEvents, maxBytes)
}

func (l *Log) readLocked(since int64, maxEvents, maxBytes int) Page {
	oldest := max(l.last-int64(len(l.ring))+1, 1)
	p := Page{Events: []Event{}}
	if since+1 < oldest {
		p.Lost = Lost{From: since + 1, To: oldest - 1}
	}
	bytes := 0
	for id := max(since+1, oldest); id <= l.last; id++ {
		e := l.ring[(id-1)%int64(len(l.ring))]
		full := len(p.Events) == maxEvents || bytes+len(e.Data) > maxBytes
		if len(p.Events) > 0 && full {
			p.More = true
			break
		}
		p.Events = append(p.Events, e)
		bytes += len(e.Data)
	}
	return p
}

// ANCHOR_END: since

// ANCHOR: wait
// Wait is the heart of long polling: it returns Read(since, ...) as soon as
// that has at least one event, or an empty page when ctx is done.
func (l *Log) Wait(ctx context.Context, since int64, maxEvents, maxBytes int) Page {
	for {
		l.mu.Lock()
		p := l.readLocked(since, maxEvents, maxBytes)
		changed := l.changed
		l.mu.Unlock()
		if len(p.Events) > 0 {
			return p
		}
		select {
		case <-changed: // something was published: look again
		case <-ctx.Done():
			return Page{Events: []Event{}}
		}
	}
}

// ANCHOR_END: wait
