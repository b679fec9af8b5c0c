package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
)

// TestWhatTheTableClaims checks the chapter's claims on the measured bytes:
// JSON shrinks with compression and more with context takeover, and random
// bytes do not shrink at all.
func TestWhatTheTableClaims(t *testing.T) {
	json := split(jsonEvents(50*128), 128)
	random := split(randomBytes(50*1024), 1024)
	takeover := &handshake.Compression{ContextTakeover: true, Threshold: -1}
	fresh := &handshake.Compression{Threshold: -1}
	bytes := func(cfg *handshake.Compression, msgs [][]byte) int64 {
		n, err := wireBytes(cfg, msgs)
		require.NoError(t, err)
		return n
	}
	off, noCtx, ctx := bytes(nil, json), bytes(fresh, json), bytes(takeover, json)
	assert.Equal(t, int64(50*(128+4)), off, "128-byte messages with 4-byte headers (over 125: a 16-bit length)")
	assert.Less(t, noCtx, off)
	assert.Less(t, ctx, noCtx/2, "context takeover: small similar messages refer back to earlier ones")
	assert.GreaterOrEqual(t, bytes(takeover, random), bytes(nil, random), "random bytes do not compress")
}
