//go:build !solution && !mutant

package longpoll

import "context"

// Event is one published event; IDs start at 1 and increase by one.
type Event struct {
	ID   int
	Data string
}

// Log holds the events published so far.
type Log struct {
	// TODO: your fields
}

// NewLog returns an empty log.
func NewLog() *Log { return &Log{} }

// Publish appends an event and returns its ID.
func (l *Log) Publish(data string) int {
	return 0 // TODO
}

// Wait returns the events with an ID above since, waiting until there is at
// least one, or until ctx is done (then it returns nil).
func (l *Log) Wait(ctx context.Context, since int) []Event {
	return nil // TODO
}
