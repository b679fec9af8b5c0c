package handshake

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCloseWithLeavesTheHandlersMessage: a server's goodbye (CloseWith,
// from the goroutine that shuts the server down) may come while a handler
// holds the message it just read, before it echoes it. CloseWith then reads
// the peer's answer itself, and the peer may send a message first. That
// read must not land where the held message lies: neither in the
// read-ahead buffer (a small message is returned from there) nor in the
// message's buffer by way of the pool, where another connection's read
// would reach it. Each case fails without its half of letGo; with -race,
// the race detector also reports the write into bytes the handler reads.
func TestCloseWithLeavesTheHandlersMessage(t *testing.T) {
	cases := []struct {
		name string
		size int
	}{
		{"in the read-ahead buffer", 100},
		{"in a buffer from the pool", 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			held := bytes.Repeat([]byte{'A'}, tc.size)
			// Each step is one read: the message, then, after our close,
			// one more from the peer, then its close.
			sc := &scriptConn{steps: []step{
				{data: frame(true, 0, OpBinary, true, held)},
				{data: frame(true, 0, OpBinary, true, bytes.Repeat([]byte{'B'}, tc.size))},
				{data: frame(true, 0, OpClose, true, appendCloseBody(nil, CloseGoingAway, ""))},
			}}
			c := newConn(sc, nil, false)
			_, msg, err := c.ReadMessage()
			require.NoError(t, err)

			var wg sync.WaitGroup
			wg.Go(func() { require.NoError(t, c.CloseWith(CloseGoingAway, "server shutting down")) })
			wg.Wait()

			require.Equal(t, held, msg, "the held message was overwritten while CloseWith read the peer's answer")
			require.Empty(t, sc.steps, "CloseWith did not read up to the peer's close")
			// A buffer back in the pool would be another connection's next.
			for range 10 {
				other := newWireConn(frame(true, 0, OpBinary, true, bytes.Repeat([]byte{'C'}, tc.size))).conn(false, 0)
				_, _, err := other.ReadMessage()
				require.NoError(t, err)
				require.Equal(t, held, msg, "the held message became another connection's")
			}
		})
	}
}
