//go:build solution && !mutant

package sse

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// WriteEvent writes e in the text/event-stream format: its id, its data
// (one data: line per line of it) and the blank line that ends an event.
func WriteEvent(w io.Writer, e Event) error {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %d\n", e.ID)
	data := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(e.Data)
	for line := range strings.SplitSeq(data, "\n") {
		fmt.Fprintf(&b, "data: %s\n", line)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Handler streams src's events to each client as Server-Sent Events,
// starting after the client's Last-Event-ID, until the client goes.
func Handler(src Source) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last := 0
		if v := r.Header.Get("Last-Event-ID"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				http.Error(w, "Last-Event-ID must be an event's ID", http.StatusBadRequest)
				return
			}
			last = n
		}
		flusher, ok := w.(http.Flusher)
		if !ok {
			http.Error(w, "streaming unsupported", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		flusher.Flush()
		for {
			events, err := src.After(r.Context(), last)
			if err != nil {
				return // the client went
			}
			for _, e := range events {
				if WriteEvent(w, e) != nil {
					return
				}
				last = e.ID
			}
			flusher.Flush()
		}
	})
}
