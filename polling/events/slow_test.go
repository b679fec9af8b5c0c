package events

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ANCHOR: slow_test
// TestSlowClientIsDropped: a client that stops reading fills the kernel's
// buffers, then its queue of QueueSize events, and is dropped with close
// code 1008, and logged; a fast client beside it gets every event, in
// order, throughout.
func TestSlowClientIsDropped(t *testing.T) {
	logs := captureLog(t)
	const queue = 4
	log := NewLog(0)
	srv := startServer(t, &Handlers{Log: log, QueueSize: queue})

	slow := dial(t, wsURL(srv.URL, 0), nil)
	fast := dial(t, wsURL(srv.URL, 0), nil)
	require.Eventually(t, func() bool { return log.Subscribers() == 2 }, ioTimeout,
		time.Millisecond)

	// Publish 64 KiB events until the slow client is dropped. After each,
	// the fast client must receive that very event, so it never falls behind.
	data := strings.Repeat("x", MaxPublishBytes)
	require.NoError(t, fast.SetReadDeadline(time.Now().Add(ioTimeout)))
	var id int64
	for log.Subscribers() == 2 {
		require.Less(t, id, int64(100_000), "the slow client was never dropped")
		id = log.Publish(data).ID
		var e Event
		require.NoError(t, fast.ReadJSON(&e))
		require.Equal(t, id, e.ID)
	}

	t.Logf("dropped after %d events", id)

	// Now the slow client reads: the events that fitted, then close 1008.
	require.NoError(t, slow.SetReadDeadline(time.Now().Add(ioTimeout)))
	var ce *websocket.CloseError
	for {
		_, _, err := slow.ReadMessage()
		if errors.As(err, &ce) {
			break
		}
		require.NoError(t, err, "the connection ended without a close frame")
	}
	assert.Equal(t, CloseTooSlow, ce.Code)
	assert.Equal(t, websocket.ClosePolicyViolation, ce.Code)
	assert.Equal(t, 1, logs.count("connection failed", "code=1008", "too slow"), logs)

	// And the fast client carries on.
	next := log.Publish("after the drop").ID
	var e Event
	require.NoError(t, fast.ReadJSON(&e))
	assert.Equal(t, next, e.ID)
}

// ANCHOR_END: slow_test
