package auth

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// update rewrites the golden files in testdata/ from real runs.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// ANCHOR: run-test

// TestRunsOnTheSharedRunner: Run serves the endpoints as every workbook
// server is served. A ticket from a real session opens a socket, and when
// the server stops, that socket hears close 1001.
func TestRunsOnTheSharedRunner(t *testing.T) {
	srv := webtest.Start(t, Run)
	client := jarClient(t)
	var transcript strings.Builder
	say := func(format string, args ...any) {
		fmt.Fprintf(&transcript, format+"\n",
			args...)
	}

	status, _ := post(t, client, srv.URL+"/login?user=alice")
	require.Equal(t, http.StatusNoContent, status)
	say("POST /login?user=alice: %d", status)
	status, ticket := post(t, client, srv.URL+"/ticket")
	say("POST /ticket: %d, a ticket of %d characters", status, len(ticket))

	ws := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/ticket?ticket="
	d := websocket.Dialer{HandshakeTimeout: ioBound}
	c, resp, err := d.Dial(ws+ticket, nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(ioBound))
	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, "hello alice", string(msg))
	say("GET /ws/ticket?ticket=…: %d, then %q", resp.StatusCode, msg)
	status, _ = handshake(t, ws+ticket, nil)
	say("GET /ws/ticket?ticket=… again: %d", status)

	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop() }()
	_, _, err = c.ReadMessage()
	ce, ok := errors.AsType[*websocket.CloseError](err)
	require.True(t, ok, "no close frame: %v", err)
	assert.Equal(t, websocket.CloseGoingAway, ce.Code)
	say("the server stops: close %d %q", ce.Code, ce.Text)
	c.Close()
	require.NoError(t, <-stopped)
	t.Log("\n" + transcript.String())
	webtest.Golden(t, "run.golden", transcript.String(), *update)
}

// ANCHOR_END: run-test
