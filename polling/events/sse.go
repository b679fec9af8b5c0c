package events

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ANCHOR: sse_constants
const (
	// DefaultHeartbeat is how often a quiet event stream gets a comment
	// line, ": heartbeat". The HTML Standard (§9.2.7, authoring notes)
	// suggests one "every 15 seconds or so", because legacy proxies drop an
	// HTTP connection that is silent for a short while. The write also
	// finds a reader that has vanished or stopped reading: it fails within
	// WriteWait once the kernel's buffers are full.
	DefaultHeartbeat = 15 * time.Second
	// DefaultRetry is sent once, as "retry: 2000", at the start of every
	// stream: how long the browser waits before it reconnects (HTML
	// §9.2.6; Chromium's own default is 3 s).
	DefaultRetry = 2 * time.Second
	// HeaderLastEventID is what a reconnecting EventSource sends: the id
	// of the last event it received (HTML §9.2.4).
	HeaderLastEventID = "Last-Event-ID"
)

// ANCHOR_END: sse_constants

// ANCHOR: sse
// serverSentEvents serves GET /sse as an event stream (text/event-stream,
// HTML §9.2): every event after the cursor as "id: N" and "data: {json}",
// a blank line after each. The cursor is the Last-Event-ID header of a
// reconnect, else ?since=N, else the newest event. Events the ring no
// longer holds are named by an event of type "lost", which has no id and
// so leaves the browser's cursor alone. The backlog is read from the ring
// a page at a time, as on /ws; a client whose queue overflows, or that
// stops reading for WriteWait, is cut off, and its browser comes back with
// Last-Event-ID to continue where it left off.
//
// Accept is not checked: EventSource always sends "Accept:
// text/event-stream", curl sends "*/*", and a server may ignore Accept and
// send the one representation it has (RFC 9110 §12.5.1); a 406 would only
// turn away a curl that forgot the header.
func (h *Handlers) serverSentEvents(w http.ResponseWriter, r *http.Request) {
	since, ok := h.sseCursor(w, r)
	if !ok {
		return
	}
	if !h.originsAllow(r) {
		why := "403 forbidden: cross-origin event stream for " + r.Header.Get("Origin")
		Refuse(w, r, http.StatusForbidden, why+" (admit it with -allow-origin)")
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	if h.Track != nil {
		defer h.Track(cancel)() // at shutdown, end the stream
	}
	if h.SSELifetime > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeout(ctx, h.SSELifetime)
		defer stop()
	}
	sub, upto := h.Log.Subscribe(cmp.Or(h.QueueSize, DefaultQueueSize))
	defer h.Log.Unsubscribe(sub)

	s := &eventStream{w: w, rc: http.NewResponseController(w), wait: h.writeWait()}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	retry := cmp.Or(h.SSERetry, DefaultRetry).Milliseconds()
	heartbeat := time.NewTicker(cmp.Or(h.Heartbeat, DefaultHeartbeat))
	defer heartbeat.Stop()
	cursor := since
	err := s.write("retry: " + strconv.FormatInt(retry, 10) + "\n\n")
	for err == nil {
		if err = s.rc.Flush(); err != nil {
			break
		}
		if cursor < upto { // behind: the next page of the ring first
			page := h.Log.Read(cursor, MaxAnswerEvents, MaxAnswerBytes)
			cursor, err = s.page(page, upto)
			continue
		}
		select {
		case e := <-sub.Events:
			err = s.event(e)
		case <-heartbeat.C:
			err = s.write(": heartbeat\n\n")
		case <-sub.Dropped:
			err = fmt.Errorf("too slow: %d events queued", cap(sub.Events))
		case <-ctx.Done():
			return // the client left, the stream's lifetime is over, or shutdown
		}
	}
	slog.Warn("stream cut off",
		"reason", err.Error(), "remote", r.RemoteAddr, "path", r.URL.Path)
}

// ANCHOR_END: sse

// sseCursor reads where a stream starts: Last-Event-ID (a reconnect) wins
// over ?since= (the first connect, whose URL the browser reuses), and with
// neither the stream starts after the newest event. A bad cursor is
// answered with 400, as on /poll; an EventSource that gets 400 stops
// reconnecting, which is right for a cursor no server of this run gave out.
func (h *Handlers) sseCursor(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, resumed := r.Header[http.CanonicalHeaderKey(HeaderLastEventID)]
	if !resumed {
		if r.URL.Query().Has("since") {
			return h.since(w, r)
		}
		return h.Log.Last(), true
	}
	n, err := strconv.ParseInt(id[0], 10, 64)
	if len(id) != 1 || err != nil || n < 0 {
		Refuse(w, r, http.StatusBadRequest, fmt.Sprintf("400 Last-Event-ID must be one whole number >= 0, not %q", strings.Join(id, ", ")))
		return 0, false
	}
	if last := h.Log.Last(); n > last {
		Refuse(w, r, http.StatusBadRequest, fmt.Sprintf("400 Last-Event-ID %d is ahead of the newest event, %d (start again from 0)", n, last))
		return 0, false
	}
	return n, true
}

// ANCHOR: event_stream
// eventStream writes the text/event-stream format. Each write goes into
// net/http's 4 KiB buffer, and on to the client when it fills or at the
// flush that follows. Every write first moves the write deadline to wait
// from now, so a client that stops reading holds the handler for wait at
// most, and a stream that was quiet for longer than wait can still write.
type eventStream struct {
	w    http.ResponseWriter
	rc   *http.ResponseController
	wait time.Duration
	buf  bytes.Buffer // one event's encoding
}

// event writes one event: "id: 7\ndata: {...}\n\n". The data is the Event
// as JSON, on one line (JSON escapes every newline), HTML escaping off.
func (s *eventStream) event(e Event) error {
	s.buf.Reset()
	s.buf.WriteString("id: " + strconv.FormatInt(e.ID, 10) + "\ndata: ")
	enc := json.NewEncoder(&s.buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(e) // an Event always encodes; Encode ends the line
	s.buf.WriteString("\n")
	return s.write(s.buf.String())
}

// lost writes "event: lost\ndata: {"from":6,"to":81}\n\n": no id line,
// so the browser's Last-Event-ID stays the last real event's.
func (s *eventStream) lost(g Lost) error {
	return s.write(fmt.Sprintf("event: lost\ndata: {\"from\":%d,\"to\":%d}\n\n",
		g.From, g.To))
}

func (s *eventStream) write(text string) error {
	if err := s.rc.SetWriteDeadline(time.Now().Add(s.wait)); err != nil {
		return err
	}
	_, err := io.WriteString(s.w, text)
	return err
}

// ANCHOR_END: event_stream

// page writes one page of the backlog, as sendPage does on /ws: a lost
// event first if the ring has moved past the cursor, then the events up to
// upto. It returns the new cursor.
func (s *eventStream) page(p Page, upto int64) (int64, error) {
	cursor := upto // if the ring has moved past upto, all of the backlog is lost
	if len(p.Events) > 0 {
		cursor = p.Events[0].ID - 1
	}
	if p.Lost != (Lost{}) {
		p.Lost.To = min(p.Lost.To, upto)
		if err := s.lost(p.Lost); err != nil {
			return cursor, err
		}
	}
	for _, e := range p.Events {
		if e.ID > upto {
			return upto, nil
		}
		if err := s.event(e); err != nil {
			return cursor, err
		}
		cursor = e.ID
	}
	return cursor, nil
}
