package main

import (
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestGoodbyeIsBounded: at shutdown, a client that stopped reading while
// its echo was being written costs at most serve.GoodbyeWait. The goodbyes
// are called one after the other, the stalled client's first, the worst
// order: the normal client must still get its 1001 promptly. gorilla's
// WriteControl waits for the write lock, which the blocked echo holds, until
// its deadline: that was writeWait (10 s). And the stalled connection must
// be let go, not kept until the echo's own write deadline.
func TestGoodbyeIsBounded(t *testing.T) {
	rec := webtest.NewRecorder()
	url := startEcho(t, &echoHandler{tracker: rec})

	stalled := webtest.DialRaw(t, url)
	rec.WaitTracked(t)
	// Send big messages and never read: the echoes fill both socket
	// buffers, the server blocks writing one and stops reading ours. A
	// write of ours that cannot finish in 200 ms says we are there.
	msg := webtest.ClientFrame(websocket.BinaryMessage, make([]byte, 64<<10))
	for {
		stalled.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
		if _, err := stalled.Write(msg); err != nil {
			break
		}
	}

	normal, _, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	defer normal.Close()
	rec.WaitTracked(t)

	start := time.Now()
	rec.Goodbye(0)()
	rec.Goodbye(1)()
	normal.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err = normal.ReadMessage()
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, websocket.CloseGoingAway, ce.Code)
	assert.Less(t, time.Since(start), serve.GoodbyeWait+500*time.Millisecond, "the normal client's goodbye waited for the stalled one")
	// The stalled connection is let go too: at GoodbyeWait if its echo is
	// still blocked, at CloseGrace if our close got out and is never
	// answered; never at the echo's writeWait.
	rec.WaitDone(t, 0, policy.CloseGrace+time.Second)
}
