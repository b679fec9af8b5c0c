package events

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/websocket-in-go/workbook/web/policy"
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

// ANCHOR: answer_limits
const (
	// MaxAnswerEvents bounds how many events one answer to /poll or
	// /longpoll carries, and one page of a WebSocket's catch-up.
	MaxAnswerEvents = 256
	// MaxAnswerBytes bounds one answer's body: 1 MiB of JSON. A client that
	// is further behind gets the oldest events that fit, the header
	// X-Events-More: true, and follows its cursor for the rest. Without the
	// bound, one GET /poll?since=0 on a ring of 1,024 events of 64 KiB
	// cost the server 400 MB. One event always fits: 64 KiB of text is at
	// most 384 KiB of JSON (a control character becomes \u0001).
	MaxAnswerBytes = 1 << 20
	// DefaultWriteWait bounds every write to a client, as net/http's
	// WriteTimeout would (we set it per write, since a long poll waits much
	// longer than it may take to write): a client that stops reading holds
	// its handler, and the answer in memory, for this long at most.
	DefaultWriteWait = 10 * time.Second
	// bodyWait bounds the reading of a published event's body, as
	// net/http's ReadTimeout would: 64 KiB trickled a byte a minute must not
	// hold a handler for a day.
	bodyWait = 10 * time.Second
)

// ANCHOR_END: answer_limits

// The headers that travel beside the JSON array of events.
const (
	// HeaderLost names the events the client asked for that have left the
	// ring, e.g. "X-Events-Lost: 6-81" (ids 6 to 81, both included). It is
	// absent when nothing was lost.
	HeaderLost = "X-Events-Lost"
	// HeaderMore is "true" when the answer was cut short by MaxAnswerEvents
	// or MaxAnswerBytes: ask again at once from the last event's id.
	HeaderMore = "X-Events-More"
)

// Handlers serves the event log over HTTP: POST /publish, GET /poll,
// GET /longpoll, GET /sse and GET /ws. Register them with Register.
type Handlers struct {
	// Log is the event source.
	Log *Log
	// Origins is the origin policy for GET /ws, GET /sse and POST /publish
	// (cross-site pages get 403; nil means same-origin only).
	Origins *policy.Origins
	// LongPollTimeout is how long /longpoll waits (DefaultLongPollTimeout
	// if zero).
	LongPollTimeout time.Duration
	// QueueSize bounds each WebSocket or event-stream client's queue (DefaultQueueSize if
	// zero).
	QueueSize int
	// PingPeriod is how often a WebSocket is pinged (DefaultPingPeriod if
	// zero). It must be shorter than PongWait.
	PingPeriod time.Duration
	// PongWait is how long a WebSocket may stay silent, not even answering
	// a ping, before it counts as vanished and is dropped (DefaultPongWait
	// if zero).
	PongWait time.Duration
	// WriteWait bounds every write of an answer or a message
	// (DefaultWriteWait if zero).
	WriteWait time.Duration
	// Heartbeat is how often a quiet /sse stream gets a comment line
	// (DefaultHeartbeat if zero).
	Heartbeat time.Duration
	// SSERetry is the reconnection time sent to each EventSource
	// (DefaultRetry if zero).
	SSERetry time.Duration
	// SSELifetime, if set, ends every /sse stream after this long: the
	// browser reconnects with Last-Event-ID and carries on, and the lab
	// shows it doing so. Zero means streams last as long as the client.
	SSELifetime time.Duration
	// Track, if set, registers each open WebSocket for shutdown: goingAway
	// sends close 1001 (on /sse it ends the stream); done is called when the
	// handler ends. It has the
	// shape of (*serve.Server).Track.
	Track func(goingAway func()) (done func())
}

// ANCHOR: register
// Register adds the five endpoints to mux. Their patterns name no method,
// so that they win over a catch-all "GET /" page route for every method;
// each handler answers a wrong method itself, with 405 Method Not Allowed,
// an Allow header, and a log line.
func (h *Handlers) Register(mux *http.ServeMux) {
	mux.Handle("/publish", Only(http.HandlerFunc(h.publish), http.MethodPost))
	mux.Handle("/poll", Only(http.HandlerFunc(h.poll), http.MethodGet, http.MethodHead))
	mux.Handle("/longpoll", Only(http.HandlerFunc(h.longPoll), http.MethodGet, http.MethodHead))
	mux.Handle("/sse", Only(http.HandlerFunc(h.serverSentEvents), http.MethodGet))
	mux.Handle("/ws", Only(http.HandlerFunc(h.webSocket), http.MethodGet))
}

// ANCHOR_END: register

// Only passes requests whose method is one of methods to h, and answers any
// other with 405 Method Not Allowed and an Allow header that lists methods
// (RFC 9110 §15.5.6), logging the refusal.
func Only(h http.Handler, methods ...string) http.Handler {
	allow := strings.Join(methods, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(methods, r.Method) {
			w.Header().Set("Allow", allow)
			Refuse(w, r, http.StatusMethodNotAllowed, fmt.Sprintf("405 method %s not allowed (allowed: %s)", r.Method, allow))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Refuse answers a refused request with status and a plain-text message,
// and logs one line with serve.LogRefused. The answer is written within
// DefaultWriteWait, like every other.
func Refuse(w http.ResponseWriter, r *http.Request, status int, message string) {
	serve.LogRefused(r, status, message)
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(DefaultWriteWait))
	http.Error(w, message, status)
}

// ANCHOR: poll
// poll is short polling: answer at once with whatever is new, maybe [], a
// bounded page of it.
func (h *Handlers) poll(w http.ResponseWriter, r *http.Request) {
	since, ok := h.since(w, r)
	if !ok {
		return
	}
	writeEvents(w, h.Log.Read(since, MaxAnswerEvents, MaxAnswerBytes), h.writeWait())
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
	writeEvents(w, h.Log.Wait(ctx, since, MaxAnswerEvents, MaxAnswerBytes), h.writeWait())
}

// ANCHOR_END: poll

// ANCHOR: write_events
// writeEvents answers 200 with the page's events as a JSON array of at
// most MaxAnswerBytes, the headers X-Events-Lost and X-Events-More, and a
// write deadline. Each event is encoded on its own, so the array stops at
// the last event that fits, and without HTML escaping: "<" stays one byte
// instead of the six of \u003c (the body is JSON, never HTML).
func writeEvents(w http.ResponseWriter, p Page, wait time.Duration) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	body.WriteByte('[')
	for i, e := range p.Events {
		mark := body.Len()
		if i > 0 {
			body.WriteByte(',')
		}
		_ = enc.Encode(e)             // an Event always encodes
		body.Truncate(body.Len() - 1) // Encode's newline
		if i > 0 && body.Len()+len("]\n") > MaxAnswerBytes {
			body.Truncate(mark)
			p.More = true
			break
		}
	}
	body.WriteString("]\n")
	if p.Lost != (Lost{}) {
		w.Header().Set(HeaderLost, p.Lost.String())
	}
	if p.More {
		w.Header().Set(HeaderMore, "true")
	}
	w.Header().Set("Content-Length", strconv.Itoa(body.Len()))
	writeJSON(w, body.Bytes(), wait)
}

// ANCHOR_END: write_events

// ANCHOR: publish_handler
// publish adds the request body, as text, to the log and answers {"id": N}.
// It keeps the origin policy of /ws: a cross-site page could otherwise
// publish with a simple text/plain POST, which needs no CORS preflight.
func (h *Handlers) publish(w http.ResponseWriter, r *http.Request) {
	if !h.originsAllow(r) {
		Refuse(w, r, http.StatusForbidden, "403 forbidden: cross-origin publish from "+r.Header.Get("Origin")+
			" (start the server with -allow-origin to admit it)")
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(bodyWait))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPublishBytes))
	_ = rc.SetReadDeadline(time.Time{}) // the next request on the connection has its own
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		Refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("413 event too large: the limit is %d bytes", MaxPublishBytes))
		return
	case err != nil:
		Refuse(w, r, http.StatusBadRequest, "400 could not read the body: "+err.Error())
		return
	case !utf8.Valid(body):
		Refuse(w, r, http.StatusBadRequest, "400 the event must be UTF-8 text")
		return
	}
	e := h.Log.Publish(string(body))
	writeJSON(w, fmt.Appendf(nil, "{\"id\":%d}\n", e.ID), h.writeWait())
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
		Refuse(w, r, http.StatusBadRequest, fmt.Sprintf("400 since must be a whole number >= 0, not %q", s))
		return 0, false
	}
	if last := h.Log.Last(); n > last {
		Refuse(w, r, http.StatusBadRequest, fmt.Sprintf("400 since=%d is ahead of the newest event, %d (start again from 0)", n, last))
		return 0, false
	}
	return n, true
}

// writeJSON answers 200 with body, JSON, within wait. The Cache-Control
// header keeps proxies and the browser from answering a poll out of a
// cache.
func writeJSON(w http.ResponseWriter, body []byte, wait time.Duration) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(wait))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

func (h *Handlers) writeWait() time.Duration { return cmp.Or(h.WriteWait, DefaultWriteWait) }
