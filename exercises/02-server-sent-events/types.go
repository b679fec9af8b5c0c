package sse

import "context"

// Event is one event of the stream. IDs start at 1 and increase by one;
// Data may hold several lines.
type Event struct {
	ID   int
	Data string
}

// Source is where the events come from (the long poll's log of exercise
// 10 is one).
type Source interface {
	// After returns the events with an ID above id, waiting until there is
	// at least one; it returns ctx's error when ctx ends first.
	After(ctx context.Context, id int) ([]Event, error)
}
