package sse

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spec is the HTML Living Standard, §9.2 "Server-sent events".
const spec = "HTML §9.2.6 (event stream interpretation)"

func TestWriteEvent(t *testing.T) {
	cases := []struct {
		name string
		e    Event
		want string
		rule string
	}{
		{"one line", Event{1, "hello"}, "id: 1\ndata: hello\n\n",
			"an event is its fields, one per line (id: then data:), and a blank line dispatches it"},
		{"several lines", Event{7, "a\nb\nc"}, "id: 7\ndata: a\ndata: b\ndata: c\n\n",
			"a line break ends a field, so each line of the data is its own data: line (the client joins them with \\n)"},
		{"CR LF and CR are line breaks too", Event{8, "a\r\nb\rc"}, "id: 8\ndata: a\ndata: b\ndata: c\n\n",
			"CR LF, LF and CR all end a line"},
		{"empty data", Event{9, ""}, "id: 9\ndata: \n\n",
			"an event with empty data still needs its data: line, or the client dispatches nothing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteEvent(&b, tc.e))
			assert.Equal(t, tc.want, b.String(), "%s: %s", spec, tc.rule)
		})
	}
}

// source is a Source for the tests: events published so far, and a
// channel closed on each publish.
type source struct {
	mu      sync.Mutex
	events  []Event
	changed chan struct{}
}

func newSource(data ...string) *source {
	s := &source{changed: make(chan struct{})}
	for _, d := range data {
		s.publish(d)
	}
	return s
}

func (s *source) publish(data string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, Event{len(s.events) + 1, data})
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *source) After(ctx context.Context, id int) ([]Event, error) {
	for {
		s.mu.Lock()
		if id < len(s.events) {
			out := append([]Event(nil), s.events[id:]...)
			s.mu.Unlock()
			return out, nil
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// client is a test's EventSource: it reads events from a response as a
// browser does (§9.2.6), in a goroutine, onto a channel.
type client struct {
	resp   *http.Response
	events chan Event
}

// connect opens the stream, with a Last-Event-ID if last is not "".
func connect(t *testing.T, url, last string) *client {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	if last != "" {
		req.Header.Set("Last-Event-ID", last)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	c := &client{resp: resp, events: make(chan Event, 100)}
	go func() {
		defer close(c.events)
		var id int
		var data []string
		s := bufio.NewScanner(resp.Body)
		for s.Scan() {
			field, value, _ := strings.Cut(s.Text(), ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "":
				if data != nil {
					c.events <- Event{id, strings.Join(data, "\n")}
				}
				data = nil
			case "id":
				id, _ = strconv.Atoi(value)
			case "data":
				data = append(data, value)
			}
		}
	}()
	return c
}

// next returns the next event, failing the test if none comes in a second.
func (c *client) next(t *testing.T) Event {
	t.Helper()
	select {
	case e, ok := <-c.events:
		require.True(t, ok, "the stream ended; an event stream stays open (and a blank line must end each event)")
		return e
	case <-time.After(time.Second):
		t.Fatal("no event within a second: write it, end it with a blank line, and Flush (http.Flusher), or it waits in a buffer")
		return Event{}
	}
}

func serve(t *testing.T, src Source) string {
	srv := httptest.NewServer(Handler(src))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestTheStreamIsAnEventStream(t *testing.T) {
	c := connect(t, serve(t, newSource("a")), "")
	assert.Equal(t, http.StatusOK, c.resp.StatusCode)
	assert.Equal(t, "text/event-stream", c.resp.Header.Get("Content-Type"),
		"HTML §9.2.2: the browser only reads a response whose Content-Type is text/event-stream")
	assert.Equal(t, "no-cache", c.resp.Header.Get("Cache-Control"), "a stream must not be cached by the browser or a proxy")
}

func TestEventsArriveAsTheyArePublished(t *testing.T) {
	src := newSource("first", "two\nlines")
	c := connect(t, serve(t, src), "")
	assert.Equal(t, Event{1, "first"}, c.next(t), "the events so far, at once")
	assert.Equal(t, Event{2, "two\nlines"}, c.next(t), "%s: multi-line data arrives whole", spec)
	src.publish("later")
	assert.Equal(t, Event{3, "later"}, c.next(t), "a later event is pushed down the open stream (flushed), not held back")
}

// TestResumesAfterLastEventID: a browser that reconnects sends the id of
// the last event it saw; it must get every later event, and none again.
func TestResumesAfterLastEventID(t *testing.T) {
	src := newSource("1", "2", "3", "4")
	c := connect(t, serve(t, src), "2")
	assert.Equal(t, Event{3, "3"}, c.next(t), "HTML §9.2.4: on reconnection the browser sends Last-Event-ID; resume right after it")
	assert.Equal(t, Event{4, "4"}, c.next(t))
}

func TestABadLastEventIDIsRefused(t *testing.T) {
	for _, bad := range []string{"x", "-1", "1.5"} {
		c := connect(t, serve(t, newSource("a")), bad)
		assert.Equal(t, http.StatusBadRequest, c.resp.StatusCode, "Last-Event-ID %q names no event: 400, not a stream from the start", bad)
	}
}
