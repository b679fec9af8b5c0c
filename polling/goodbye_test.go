package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/polling/events"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestGoodbyeWithAStalledClient: a WebSocket client that has stopped
// reading, events piling up for it, must not keep close 1001 from the 39
// others at shutdown, and the process still exits 0 within five seconds.
func TestGoodbyeWithAStalledClient(t *testing.T) {
	webtest.GoodbyeContract(t, ".", webtest.Goodbye{Stall: stallPush, Serving: pushServing}, "-tick", "0")
}

// stallEvent is the text of each event stallPush publishes: as big as a
// publish may be, less room for the JSON around it.
var stallEvent = strings.Repeat("s", events.MaxPublishBytes-1024)

// stallRound is how many events stallPush publishes before it looks.
const stallRound = 8

// stallMost is how many events stallPush publishes at most: fewer than the
// client's queue holds (events.DefaultQueueSize), so that the stalled
// client is not dropped as too slow, which would end its stall.
const stallMost = events.DefaultQueueSize - 2*stallRound

// stallPush stalls the server's writer to c, a /ws client that never
// reads: it publishes big events, a round at a time, until the bytes the
// server has written to WebSockets (GET /stats, counted as each write
// returns) stay behind what it was given and stop moving. Then the writer
// is blocked in a write to c, the only WebSocket so far.
func stallPush(t *testing.T, base string, _ *websocket.Conn) {
	for published := 0; published < stallMost; {
		for range stallRound {
			publish(t, base, stallEvent)
			published++
		}
		want := int64(published * len(stallEvent))
		if out, still := settledWSBytes(t, base); still && out < want {
			t.Logf("stalled: %d KiB written of %d KiB published", out>>10, want>>10)
			return
		}
	}
	t.Fatalf("stalling: %d events went out and the writer never blocked", stallMost)
}

// settledWSBytes reads the WebSocket bytes written from GET /stats until it
// has not moved for a quarter of a second, or for at most two seconds, and
// returns it and whether it had settled.
func settledWSBytes(t *testing.T, base string) (int64, bool) {
	const settle, most = 250 * time.Millisecond, 2 * time.Second
	last, since := wsBytesOut(t, base), time.Now()
	for end := time.Now().Add(most); time.Now().Before(end); {
		<-time.After(settle / 5)
		out := wsBytesOut(t, base)
		if out != last {
			last, since = out, time.Now()
		} else if time.Since(since) >= settle {
			return out, true
		}
	}
	return last, false
}

// wsBytesOut returns the bytes the server has written to WebSockets.
func wsBytesOut(t *testing.T, base string) int64 {
	resp, err := http.Get(base + "/stats")
	require.NoError(t, err)
	defer resp.Body.Close()
	var stats struct {
		WS struct {
			BytesOut int64 `json:"bytes_out"`
		} `json:"ws"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&stats))
	return stats.WS.BytesOut
}

// publish adds one event with POST /publish (no Origin: not a browser).
func publish(t *testing.T, base, text string) {
	resp, err := http.Post(base+"/publish", "text/plain", strings.NewReader(text))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// pushServing publishes one event and waits until every client has it:
// then each client's handler is subscribed, and has been tracked.
func pushServing(t *testing.T, base string, clients []*websocket.Conn) {
	publish(t, base, "ready")
	for i, c := range clients {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
		_, msg, err := c.ReadMessage()
		require.NoError(t, err, "client %d got no event", i)
		require.Contains(t, string(msg), "ready")
	}
}
