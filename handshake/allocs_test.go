package handshake

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSmallEchoAllocatesNothing: in the steady state a small message costs
// no allocation, on either side (the server has keepalive on, as Upgrade
// sets it). A per-message allocation is how a regression first shows; the
// speed itself is BenchmarkEcho's to measure.
func TestSmallEchoAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race, sync.Pool drops buffers at random, so allocations are not counted")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, _, err := Dial(ctx, startEcho(t), nil)
	require.NoError(t, err)
	defer c.Close()
	msg := bytes.Repeat([]byte{'a'}, 32)
	roundTrip := func() {
		if err := c.WriteMessage(OpBinary, msg); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	for range 100 { // warm up: the pools fill, the buffers settle
		roundTrip()
	}
	assert.Zero(t, testing.AllocsPerRun(200, roundTrip), "allocations per echoed 32-byte message")
}
