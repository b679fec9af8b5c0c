package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullRing is a log whose ring of capacity events holds 64 KiB of "<"
// each: at the default capacity 64 MiB of text, which HTML-escaping JSON
// would make 384 MiB.
func fullRing(capacity int) *Log {
	log := NewLog(capacity)
	data := strings.Repeat("<", MaxPublishBytes)
	for range capacity {
		log.Publish(data)
	}
	return log
}

// ANCHOR: bounded_test
// TestAnswersAreBounded: a poll from 0 on a full ring of 64 KiB events gets
// at most 1 MiB of JSON, "<" unescaped, and X-Events-More: true; a client
// that follows its cursor gets every event, in order, in bounded pieces.
// (A ring of 32 such events, 2 MiB, is enough to need several answers.)
func TestAnswersAreBounded(t *testing.T) {
	log := fullRing(32)
	srv := startServer(t, &Handlers{Log: log, LongPollTimeout: time.Hour})
	c := &http.Client{Timeout: ioTimeout}
	for _, path := range []string{"/poll", "/longpoll"} {
		t.Run(path, func(t *testing.T) {
			since, answers := int64(0), 0
			for more := true; more; answers++ {
				resp, err := c.Get(srv.URL + path + "?since=" + strconv.FormatInt(since, 10))
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.LessOrEqual(t, len(body), MaxAnswerBytes)
				require.False(t, strings.Contains(string(body), `\u003c`), "HTML escaping turns 1 byte into 6")
				var events []Event
				require.NoError(t, json.Unmarshal(body, &events), "the body is a JSON array of events")
				require.NotEmpty(t, events)
				for _, e := range events {
					require.Equal(t, since+1, e.ID)
					since = e.ID
				}
				more = resp.Header.Get(HeaderMore) == "true"
				require.Equal(t, since < log.Last(), more, "X-Events-More says whether there is more")
			}
			assert.Equal(t, log.Last(), since)
			assert.GreaterOrEqual(t, answers, 3, "2 MiB in answers of at most 1 MiB")
		})
	}
	t.Run("/ws", func(t *testing.T) {
		c := dial(t, wsURL(srv.URL, 0), nil)
		for id := int64(1); id <= log.Last(); id++ {
			require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
			_, msg, err := c.ReadMessage()
			require.NoError(t, err)
			require.Less(t, len(msg), MaxPublishBytes+100, "one event per message, \"<\" unescaped")
			var e Event
			require.NoError(t, json.Unmarshal(msg, &e))
			require.Equal(t, id, e.ID)
		}
	})
}

// ANCHOR_END: bounded_test

// TestTheByteBoundIsOnTheJSON: the bound is on the encoded answer, not the
// text. Three events of 64 KiB of a control character are 192 KiB of text
// but 384 KiB of JSON each (\u0001): only two fit in 1 MiB.
func TestTheByteBoundIsOnTheJSON(t *testing.T) {
	log := NewLog(0)
	for range 3 {
		log.Publish(strings.Repeat("\x01", MaxPublishBytes))
	}
	srv := startServer(t, &Handlers{Log: log})
	resp, err := (&http.Client{Timeout: ioTimeout}).Get(srv.URL + "/poll?since=0")
	require.NoError(t, err)
	defer resp.Body.Close()
	var events []Event
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&events))
	assert.Equal(t, []int64{1, 2}, ids(events))
	assert.Equal(t, "true", resp.Header.Get(HeaderMore))
	assert.Less(t, 6*MaxPublishBytes+100, MaxAnswerBytes, "one event must always fit")
}

// ANCHOR: lost_test
// TestLostEventsAreNamed is issue 10's case: after 1,105 publishes the ring
// holds 82…1105, so a client at since=5 has lost 6…81, and every transport
// says so before it delivers 82: a header beside the JSON array, a first
// message on the WebSocket, an event of type lost on the event stream.
func TestLostEventsAreNamed(t *testing.T) {
	log := NewLog(0)
	for range 1105 {
		log.Publish("x")
	}
	srv := startServer(t, &Handlers{Log: log})
	c := &http.Client{Timeout: ioTimeout}
	cases := []struct {
		path, since, lost string
		first             int64
	}{
		{"/poll", "5", "6-81", 82},
		{"/longpoll", "5", "6-81", 82},
		{"/poll", "0", "1-81", 82},
		{"/poll", "81", "", 82},
		{"/longpoll", "100", "", 101},
	}
	for _, tc := range cases {
		t.Run(tc.path+"?since="+tc.since, func(t *testing.T) {
			resp, err := c.Get(srv.URL + tc.path + "?since=" + tc.since)
			require.NoError(t, err)
			defer resp.Body.Close()
			var events []Event
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&events))
			assert.Equal(t, tc.lost, resp.Header.Get(HeaderLost))
			require.NotEmpty(t, events)
			assert.Equal(t, tc.first, events[0].ID)
		})
	}
	t.Run("/ws?since=5", func(t *testing.T) {
		ws := dial(t, wsURL(srv.URL, 5), nil)
		require.NoError(t, ws.SetReadDeadline(time.Now().Add(ioTimeout)))
		var lost LostMessage
		require.NoError(t, ws.ReadJSON(&lost))
		assert.Equal(t, Lost{From: 6, To: 81}, lost.Lost)
		var e Event
		require.NoError(t, ws.ReadJSON(&e))
		assert.Equal(t, int64(82), e.ID)
	})
	t.Run("/sse with Last-Event-ID: 5", func(t *testing.T) {
		s := openSSE(t, srv.URL+"/sse", "5")
		_, lost := s.nextEvent(t)
		assert.Equal(t, Lost{From: 6, To: 81}, lost)
		e, _ := s.nextEvent(t)
		assert.Equal(t, int64(82), e.ID)
	})
}

// ANCHOR_END: lost_test

// ANCHOR: pong_test
// TestVanishedPeerIsDropped: a client that answers no pings is dropped
// after PongWait; one that answers stays, through many pong waits. (The
// wait is 400 ms, not a few: on a loaded machine the live client's pong
// may take tens of milliseconds, and it must not be dropped for that.)
func TestVanishedPeerIsDropped(t *testing.T) {
	logs := captureLog(t)
	log := NewLog(0)
	srv := startServer(t, &Handlers{Log: log, PingPeriod: 20 * time.Millisecond, PongWait: 400 * time.Millisecond})

	silent := dial(t, wsURL(srv.URL, 0), nil)
	silent.SetPingHandler(func(string) error { return nil }) // hears pings, answers none
	alive := dial(t, wsURL(srv.URL, 0), nil)
	pings := make(chan struct{}, 1000)
	alive.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return alive.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(ioTimeout))
	})
	aliveGot := make(chan Event, 1)
	go func() {
		for {
			var e Event
			if alive.ReadJSON(&e) != nil {
				close(aliveGot)
				return
			}
			aliveGot <- e
		}
	}()

	require.NoError(t, silent.SetReadDeadline(time.Now().Add(ioTimeout)))
	for {
		_, _, err := silent.ReadMessage()
		if err != nil {
			var ne net.Error
			require.False(t, errors.As(err, &ne) && ne.Timeout(), "the silent client was never dropped")
			break
		}
	}
	// Sixty pings at 20 ms are three pong waits: the live client is still there.
	for range 60 {
		select {
		case <-pings:
		case <-time.After(ioTimeout):
			t.Fatal("the live client stopped being pinged")
		}
	}
	require.Equal(t, 1, log.Subscribers())
	log.Publish("still here")
	e, ok := <-aliveGot
	require.True(t, ok, "the live client was dropped")
	assert.Equal(t, "still here", e.Data)
	assert.Equal(t, 1, logs.count("connection failed", "code=1006", "no pong within 400ms"), logs)
}

// ANCHOR_END: pong_test

// TestTooBigMessageIsRefusedAndLogged: a client that sends more than the
// 4 KiB it may gets close 1009, and the server logs it.
func TestTooBigMessageIsRefusedAndLogged(t *testing.T) {
	logs := captureLog(t)
	srv := startServer(t, &Handlers{Log: NewLog(0)})
	c := dial(t, wsURL(srv.URL, 0), nil)
	require.NoError(t, c.WriteMessage(websocket.TextMessage, make([]byte, maxClientMessage+1)))
	require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
	_, _, err := c.ReadMessage()
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, websocket.CloseMessageTooBig, ce.Code)
	require.Eventually(t, func() bool { return logs.count("connection failed", "code=1009") == 1 }, ioTimeout, time.Millisecond, logs)
}

// ANCHOR: write_deadline_test
// TestStalledReaderIsCutOff: a client that asks for big answers and never
// reads holds its handler (and an answer in memory) for WriteWait, not for
// ever. Over HTTP it pipelines a hundred polls for 1 MiB each, more than the
// kernel's buffers hold; over WebSocket and the event stream it asks for
// the 64 MiB ring.
func TestStalledReaderIsCutOff(t *testing.T) {
	log := fullRing(DefaultCapacity)
	h := &Handlers{Log: log, WriteWait: 50 * time.Millisecond}
	t.Run("HTTP", func(t *testing.T) {
		closed := make(chan struct{})
		srv := httptest.NewUnstartedServer(nil)
		mux := http.NewServeMux()
		h.Register(mux)
		srv.Config.Handler = mux
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateClosed {
				close(closed)
			}
		}
		srv.Start()
		t.Cleanup(srv.Close)

		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		defer conn.Close()
		for range 100 {
			_, err = fmt.Fprintf(conn, "GET /poll?since=0 HTTP/1.1\r\nHost: lab\r\n\r\n")
			require.NoError(t, err)
		}
		select {
		case <-closed: // the server gave up on us
		case <-time.After(ioTimeout):
			t.Fatal("the server is still waiting for a reader that never reads")
		}
	})
	t.Run("WebSocket", func(t *testing.T) {
		logs := captureLog(t)
		srv := startServer(t, h)
		dial(t, wsURL(srv.URL, 0), nil) // and never read
		require.Eventually(t, func() bool { return logs.count("connection failed", "write:", "timeout") == 1 },
			ioTimeout, time.Millisecond, "the server is still waiting for a reader that never reads")
		assert.Zero(t, log.Subscribers())
	})
	t.Run("event stream", func(t *testing.T) {
		logs := captureLog(t)
		srv := startServer(t, h)
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		defer conn.Close()
		_, err = fmt.Fprintf(conn, "GET /sse?since=0 HTTP/1.1\r\nHost: lab\r\n\r\n") // and never read
		require.NoError(t, err)
		require.Eventually(t, func() bool { return logs.count("stream cut off", "timeout") == 1 },
			ioTimeout, time.Millisecond, "the server is still waiting for a reader that never reads")
		assert.Zero(t, log.Subscribers())
	})
}

// ANCHOR_END: write_deadline_test
