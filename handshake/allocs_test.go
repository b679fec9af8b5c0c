package handshake

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEchoAllocatesNothing: in the steady state a message costs no
// allocation, on either side (the server has keepalive on, as Upgrade sets
// it), at every size up to the default limit: the frame buffers come
// from the pools. A per-message
// allocation is how a regression first shows; the speed itself is
// BenchmarkEchoSize's to measure.
func TestEchoAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race, sync.Pool drops buffers at random, so allocations are not counted")
	}
	for _, size := range []int{32, 1 << 10, 16 << 10, 64 << 10, DefaultMaxMessageSize} {
		t.Run(fmt.Sprintf("%dB", size), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			c, _, err := Dial(ctx, startEcho(t), nil)
			require.NoError(t, err)
			defer c.Close()
			msg := bytes.Repeat([]byte{'a'}, size)
			roundTrip := func() {
				if err := c.WriteMessage(OpBinary, msg); err != nil {
					t.Fatal(err)
				}
				if _, got, err := c.ReadMessage(); err != nil || len(got) != size {
					t.Fatal(len(got), err)
				}
			}
			for range 20 { // warm up: the pools fill, the buffers settle
				roundTrip()
			}
			assert.Zero(t, testing.AllocsPerRun(50, roundTrip),
				"allocations per echoed message of %d bytes", size)
		})
	}
}
