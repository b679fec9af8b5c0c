//go:build mutant && mutant_wakes_one

// Mistake: Publish signals one waiter on a buffered channel instead of closing a channel, so only one poll wakes.

package longpoll

import (
	"context"
	"sync"
)

// Event is one published event; IDs start at 1 and increase by one.
type Event struct {
	ID   int
	Data string
}

// Log holds the events published so far.
type Log struct {
	mu      sync.Mutex
	events  []Event
	changed chan struct{} // closed and replaced on every publish
}

// NewLog returns an empty log.
func NewLog() *Log { return &Log{changed: make(chan struct{}, 1)} }

// Publish appends an event and returns its ID.
func (l *Log) Publish(data string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := len(l.events) + 1
	l.events = append(l.events, Event{ID: id, Data: data})
	select {
	case l.changed <- struct{}{}:
	default:
	}
	return id
}

// Wait returns the events with an ID above since, waiting until there is at
// least one, or until ctx is done (then it returns nil).
func (l *Log) Wait(ctx context.Context, since int) []Event {
	for {
		l.mu.Lock()
		if since < len(l.events) {
			out := append([]Event(nil), l.events[max(since, 0):]...)
			l.mu.Unlock()
			return out
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil
		}
	}
}
