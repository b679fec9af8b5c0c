package serve

import (
	"context"
	"errors"
	"flag"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

var (
	// update rewrites the golden files in testdata/ from real runs.
	update = flag.Bool("update", false, "rewrite the golden files in testdata/")
	// broken selects a deliberately broken variant: "untracked" serves
	// WebSockets without Track, as a plain http.Server would.
	broken = flag.String("broken", "", "run against a broken variant: untracked")
)

// gorillaEcho echoes on gorilla until the peer leaves. With s set, it
// tracks its connection with s and says goodbye (1001) when s shuts down.
func gorillaEcho(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		if s != nil {
			// ANCHOR: track
			done := s.Track(func() {
				bye := websocket.FormatCloseMessage(websocket.CloseGoingAway,
					"server shutting down")
				_ = conn.WriteControl(websocket.CloseMessage, bye,
					time.Now().Add(GoodbyeWait))
			})
			defer done()
			// ANCHOR_END: track
		}
		for {
			kind, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if conn.WriteMessage(kind, msg) != nil {
				return
			}
		}
	})
}

// echoOnce sends msg and requires it back.
func echoOnce(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(msg)))
	_, got, err := c.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, msg, string(got))
}

// dialWS opens a gorilla client connection, closed when the test ends.
func dialWS(t *testing.T, wsURL string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(wsURL, nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	return c
}

// ANCHOR: forgets

// TestShutdownForgetsHijackedConnections: http.Server.Shutdown "does not
// attempt to close nor wait for hijacked connections such as WebSockets"
// (its documentation). It returns at once, with nil, and the WebSocket
// goes on echoing as if nothing had happened; a process that now exits
// drops it without a close frame (1006 at the client).
func TestShutdownForgetsHijackedConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: gorillaEcho(nil)}
	go srv.Serve(ln)
	c := dialWS(t, "ws://"+ln.Addr().String()+"/ws")
	echoOnce(t, c, "before")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	require.NoError(t, srv.Shutdown(ctx), "Shutdown waited for nothing")
	assert.Less(t, time.Since(start), time.Second)
	echoOnce(t, c, "after Shutdown returned")
}

// ANCHOR_END: forgets

// ANCHOR: goodbye-test

// TestRunSaysGoodbyeToHijackedConnections: Run tracks what Shutdown
// forgets. When its context ends, an open WebSocket hears close 1001.
func TestRunSaysGoodbyeToHijackedConnections(t *testing.T) {
	srv := &Server{Addr: "127.0.0.1:0"}
	srv.Handler = gorillaEcho(srv)
	if *broken == "untracked" {
		srv.Handler = gorillaEcho(nil)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(lines, 1)
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx, out) }()
	url := strings.TrimSpace(strings.TrimPrefix(<-out, "listening on "))
	c := dialWS(t, "ws"+strings.TrimPrefix(url, "http")+"/ws")
	echoOnce(t, c, "before")

	cancel()
	c.SetReadDeadline(time.Now().Add(ShutdownTimeout + time.Second))
	_, _, err := c.ReadMessage()
	ce, ok := errors.AsType[*websocket.CloseError](err)
	require.True(t, ok, "no close frame, and the read ended with:\n%v", err)
	assert.Equal(t, websocket.CloseGoingAway, ce.Code)
	c.Close()
	require.NoError(t, <-ran)
}

// ANCHOR_END: goodbye-test

// TestShutdownNeedsTracking runs the test above with a handler that does
// not Track, and requires it to fail: no goodbye. testdata/untracked.golden
// is the failure, for the chapter.
func TestShutdownNeedsTracking(t *testing.T) {
	t.Parallel()
	out := webtest.RunBroken(t, "^TestRunSaysGoodbyeToHijackedConnections$", "-broken=untracked")
	require.Contains(t, out, "no close frame")
	webtest.Golden(t, "untracked.golden", out, *update)
}
