//go:build !solution && !mutant

package sse

import (
	"errors"
	"io"
	"net/http"
)

// WriteEvent writes e in the text/event-stream format: its id, its data
// (one data: line per line of it) and the blank line that ends an event.
func WriteEvent(w io.Writer, e Event) error {
	return errors.New("not implemented") // TODO
}

// Handler streams src's events to each client as Server-Sent Events,
// starting after the client's Last-Event-ID, until the client goes.
func Handler(src Source) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// TODO
	})
}
