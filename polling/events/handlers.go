package events

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/websocket-in-go/workbook/web/serve"
)

// ANCHOR: constants
const (
	// DefaultLongPollTimeout is how long a long poll waits before it answers
	// with []. RFC 6202 §5.5 finds 30 seconds safe behind the proxies and
	// NATs of the day, which may drop a request that is silent for longer.
	DefaultLongPollTimeout = 30 * time.Second
	// MaxPublishBytes bounds a published event's text: 64 KiB. A longer
	// body is refused with 413 before it is buffered.
	MaxPublishBytes = 64 << 10
	// DefaultQueueSize is how many events a WebSocket client may have
	// waiting to be written before it counts as too slow and is dropped.
	DefaultQueueSize = 256
)

// ANCHOR_END: constants

// Handlers serves the event log over HTTP: POST /publish, GET /poll,
// GET /longpoll and GET /ws. Register them with Register.
type Handlers struct {
	// Log is the event source.
	Log *Log
	// Origins is the origin policy for GET /ws (cross-site pages get 403).
	Origins *serve.Origins
	// LongPollTimeout is how long /longpoll waits (DefaultLongPollTimeout
	// if zero).
	LongPollTimeout time.Duration
	// QueueSize bounds each WebSocket client's queue (DefaultQueueSize if
	// zero).
	QueueSize int
	// PingPeriod is how often an idle WebSocket is pinged (DefaultPingPeriod
	// if zero).
	PingPeriod time.Duration
	// Track, if set, registers each open WebSocket for shutdown: goingAway
	// sends close 1001; done is called when the handler ends. It has the
	// shape of (*serve.Server).Track.
	Track func(goingAway func()) (done func())
}

// ANCHOR: register
// Register adds the four endpoints to mux. The method in each pattern makes
// the mux answer any other method with 405 Method Not Allowed.
func (h *Handlers) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /publish", h.publish)
	mux.HandleFunc("GET /poll", h.poll)
	mux.HandleFunc("GET /longpoll", h.longPoll)
	mux.HandleFunc("GET /ws", h.webSocket)
}

// ANCHOR_END: register

// ANCHOR: poll
// poll is short polling: answer at once with whatever is new, maybe [].
func (h *Handlers) poll(w http.ResponseWriter, r *http.Request) {
	since, ok := h.since(w, r)
	if !ok {
		return
	}
	writeJSON(w, h.Log.Since(since))
}

// longPoll is long polling: hold the request until there is something new
// or the timeout passes (then []), or the client goes away.
func (h *Handlers) longPoll(w http.ResponseWriter, r *http.Request) {
	since, ok := h.since(w, r)
	if !ok {
		return
	}
	timeout := cmp.Or(h.LongPollTimeout, DefaultLongPollTimeout)
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	writeJSON(w, h.Log.Wait(ctx, since))
}

// ANCHOR_END: poll

// ANCHOR: publish_handler
// publish adds the request body, as text, to the log and answers {"id": N}.
func (h *Handlers) publish(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPublishBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, fmt.Sprintf("413 event too large: the limit is %d bytes", MaxPublishBytes), http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		http.Error(w, "400 could not read the body: "+err.Error(), http.StatusBadRequest)
		return
	case !utf8.Valid(body):
		http.Error(w, "400 the event must be UTF-8 text", http.StatusBadRequest)
		return
	}
	e := h.Log.Publish(string(body))
	writeJSON(w, map[string]int64{"id": e.ID})
}

// ANCHOR_END: publish_handler

// since parses the query parameter since: absent means 0 (everything the
// ring holds). Anything but a whole number from 0 to the newest id is
// answered with 400 and reported as not ok. A cursor ahead of the newest
// event can only come from an earlier run of the server.
func (h *Handlers) since(w http.ResponseWriter, r *http.Request) (int64, bool) {
	s := r.URL.Query().Get("since")
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		http.Error(w, fmt.Sprintf("400 since must be a whole number >= 0, not %q", s), http.StatusBadRequest)
		return 0, false
	}
	if last := h.Log.Last(); n > last {
		http.Error(w, fmt.Sprintf("400 since=%d is ahead of the newest event, %d (start again from 0)", n, last), http.StatusBadRequest)
		return 0, false
	}
	return n, true
}

// writeJSON answers 200 with v as JSON. The Cache-Control header keeps
// proxies and the browser from answering a poll out of a cache.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
