package reconnect

import "context"

// Event is one event of the server's stream; IDs increase.
type Event struct {
	ID   int
	Data string
}

// Stream is one connection's events (a WebSocket read loop, say).
type Stream interface {
	// Next returns the next event, or an error when the connection drops.
	Next() (Event, error)
	// Close ends the connection.
	Close() error
}

// Dial connects to the server and asks for the events with an ID above
// after (0: from the start), as a ws://host/events?since=N would.
type Dial func(ctx context.Context, after int) (Stream, error)
