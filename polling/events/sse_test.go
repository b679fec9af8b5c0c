package events

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/policy"
)

// sseMessage is one block of an event stream, up to its blank line.
type sseMessage struct {
	event, id, data, retry string
	comments               []string
}

// sseStream reads an event stream as the HTML Standard's parser would
// (§9.2.6), for the fields this server sends.
type sseStream struct {
	resp *http.Response
	r    *bufio.Reader
}

// openSSE GETs url with the given Last-Event-ID ("" for none) and checks
// that the answer is an event stream. The stream is closed when the test
// ends.
func openSSE(t testing.TB, url, lastEventID string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID != "" {
		req.Header.Set(HeaderLastEventID, lastEventID)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	return &sseStream{resp: resp, r: bufio.NewReader(resp.Body)}
}

// next reads the next block; io.EOF when the server ended the stream.
func (s *sseStream) next() (sseMessage, error) {
	var m sseMessage
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return m, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return m, nil
		}
		if c, ok := strings.CutPrefix(line, ":"); ok {
			m.comments = append(m.comments, strings.TrimSpace(c))
			continue
		}
		field, value, _ := strings.Cut(line, ": ")
		switch field {
		case "event":
			m.event = value
		case "id":
			m.id = value
		case "data":
			m.data = value
		case "retry":
			m.retry = value
		default:
			return m, fmt.Errorf("unexpected line %q", line)
		}
	}
}

// nextEvent skips the retry block and heartbeats and returns the next
// event, decoded; lost is set for an event of type lost.
func (s *sseStream) nextEvent(t testing.TB) (e Event, lost Lost) {
	t.Helper()
	for {
		m, err := s.next()
		require.NoError(t, err)
		switch {
		case m.event == "lost":
			require.Empty(t, m.id, "a lost event must not move the browser's cursor")
			require.NoError(t, json.Unmarshal([]byte(m.data), &lost))
			return Event{}, lost
		case m.data != "":
			require.Empty(t, m.event)
			require.NoError(t, json.Unmarshal([]byte(m.data), &e))
			require.Equal(t, strconv.FormatInt(e.ID, 10), m.id, "the id line and the JSON agree")
			return e, Lost{}
		}
	}
}

// ANCHOR: sse_test
// TestSSECursor: where a stream starts. Last-Event-ID, which a browser
// sends when it reconnects, wins over ?since=, which the browser repeats
// because it reuses the URL; with neither, the stream starts at the next
// event published. Each stream then carries on with events published
// while it is open.
func TestSSECursor(t *testing.T) {
	cases := []struct {
		name, query, lastEventID string
		first                    int64
	}{
		{"since=0", "?since=0", "", 1},
		{"since=2", "?since=2", "", 3},
		{"Last-Event-ID wins over since", "?since=0", "2", 3},
		{"Last-Event-ID alone", "", "1", 2},
		{"neither: only what is new", "", "", 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := NewLog(0)
			for i := range 3 {
				log.Publish("before " + strconv.Itoa(i+1))
			}
			srv := startServer(t, &Handlers{Log: log})
			s := openSSE(t, srv.URL+"/sse"+tc.query, tc.lastEventID)
			m, err := s.next()
			require.NoError(t, err)
			assert.Equal(t, "2000", m.retry, "first, the reconnection time")
			subscribed := func() bool { return log.Subscribers() == 1 }
			require.Eventually(t, subscribed, ioTimeout, time.Millisecond)
			log.Publish("live")
			for id := tc.first; id <= 4; id++ {
				e, _ := s.nextEvent(t)
				require.Equal(t, id, e.ID)
			}
		})
	}
}

// ANCHOR_END: sse_test

// ANCHOR: sse_resume_test
// TestSSEResumesWhereItWasCut: a stream that the server ends (here after
// its SSELifetime) is picked up by a reconnect with Last-Event-ID, and the
// events published in between arrive, none twice, none missing.
func TestSSEResumesWhereItWasCut(t *testing.T) {
	log := NewLog(0)
	srv := startServer(t, &Handlers{Log: log, SSELifetime: 100 * time.Millisecond})
	log.Publish("one") // in the backlog: sent before the lifetime can end the stream
	s := openSSE(t, srv.URL+"/sse?since=0", "")
	e, _ := s.nextEvent(t)
	require.Equal(t, int64(1), e.ID)
	for {
		if _, err := s.next(); err != nil {
			require.ErrorIs(t, err, io.EOF, "the server ends the stream cleanly")
			break
		}
	}
	log.Publish("two") // while no stream is open
	log.Publish("three")
	again := openSSE(t, srv.URL+"/sse?since=0", "1")
	for _, want := range []string{"two", "three"} {
		e, _ := again.nextEvent(t)
		assert.Equal(t, want, e.Data)
	}
}

// ANCHOR_END: sse_resume_test

// TestSSEHeartbeat: a quiet stream gets a comment line every Heartbeat, so
// that no proxy on the way sees it idle.
func TestSSEHeartbeat(t *testing.T) {
	srv := startServer(t, &Handlers{Log: NewLog(0), Heartbeat: 10 * time.Millisecond})
	s := openSSE(t, srv.URL+"/sse", "")
	for beats := 0; beats < 3; {
		m, err := s.next()
		require.NoError(t, err)
		if len(m.comments) > 0 {
			assert.Equal(t, []string{"heartbeat"}, m.comments)
			assert.Empty(t, m.data)
			beats++
		}
	}
}

// TestSSEQuietStreamOutlivesWriteWait: the write deadline bounds each
// write, not the stream's quiet time. With heartbeats three WriteWaits apart
// the stream must carry on; a deadline set after the previous write would
// already have passed when the next heartbeat is written.
func TestSSEQuietStreamOutlivesWriteWait(t *testing.T) {
	log := NewLog(0)
	srv := startServer(t, &Handlers{Log: log, Heartbeat: 30 * time.Millisecond, WriteWait: 10 * time.Millisecond})
	s := openSSE(t, srv.URL+"/sse", "")
	for beats := 0; beats < 3; {
		m, err := s.next()
		require.NoError(t, err, "the stream was cut after %d heartbeats", beats)
		if len(m.comments) > 0 {
			beats++
		}
	}
	log.Publish("after a quiet while")
	e, _ := s.nextEvent(t)
	assert.Equal(t, "after a quiet while", e.Data)
}

// TestSSESlowClientIsCutOff: a client that stops reading fills the kernel's
// buffers, then its queue, and its stream is ended and logged; a fast
// client beside it gets every event throughout. (A browser would come back
// with Last-Event-ID and read the rest from the ring.)
func TestSSESlowClientIsCutOff(t *testing.T) {
	logs := captureLog(t)
	log := NewLog(0)
	srv := startServer(t, &Handlers{Log: log, QueueSize: 4, WriteWait: time.Hour})
	slow, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer slow.Close()
	_, err = fmt.Fprintf(slow, "GET /sse HTTP/1.1\r\nHost: lab\r\n\r\n")
	require.NoError(t, err)
	fast := openSSE(t, srv.URL+"/sse", "")
	require.Eventually(t, func() bool { return log.Subscribers() == 2 }, ioTimeout, time.Millisecond)

	data := strings.Repeat("x", MaxPublishBytes)
	var id int64
	for log.Subscribers() == 2 {
		require.Less(t, id, int64(100_000), "the slow client was never cut off")
		id = log.Publish(data).ID
		e, _ := fast.nextEvent(t)
		require.Equal(t, id, e.ID)
	}
	t.Logf("cut off after %d events", id)
	next := log.Publish("after the cut").ID
	e, _ := fast.nextEvent(t)
	assert.Equal(t, next, e.ID)
	// The slow client's handler is still stuck in a write it cannot finish
	// (WriteWait is an hour): once the client reads, the handler sees that
	// it was dropped, and ends the stream.
	go func() { _, _ = io.Copy(io.Discard, slow) }()
	require.Eventually(t, func() bool { return logs.count("stream cut off", "too slow") == 1 }, ioTimeout, time.Millisecond, logs)
}

// TestSSEOriginPolicy: GET /sse keeps the origin policy of /ws, with
// -allow-origin's list: an EventSource sends no Origin to its own site and
// its page's origin to any other.
func TestSSEOriginPolicy(t *testing.T) {
	cases := []struct {
		name    string
		allowed string // given to -allow-origin
		origin  string // SAME: the server's own
		status  int
	}{
		{"no Origin (same-site EventSource, curl)", "", "", http.StatusOK},
		{"same origin", "", "SAME", http.StatusOK},
		{"cross-site", "", "http://evil.example", http.StatusForbidden},
		{"cross-site but allowed", "http://friend.example", "http://friend.example", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var origins policy.Origins
			require.NoError(t, origins.Set(tc.allowed))
			srv := startServer(t, &Handlers{Log: NewLog(0), Origins: &origins})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel() // ends the stream
			req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/sse", nil)
			require.NoError(t, err)
			if tc.origin == "SAME" {
				tc.origin = srv.URL
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}
