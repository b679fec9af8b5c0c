package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
)

// startRun runs the program in this process with args and returns its
// base URL, http://host:port.
func startRun(t *testing.T, args ...string) string {
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), w) }()
	t.Cleanup(func() { cancel(); <-done })
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err)
	go func() { _, _ = io.Copy(io.Discard, r) }()
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	require.True(t, ok, "first line was %q", line)
	return base
}

// TestExactEchoWithCompression: GET /echo echoes every message unchanged,
// compressed or not, with permessage-deflate negotiated; /ws keeps the
// prefix; -max-message sets the limit, on the inflated size.
func TestExactEchoWithCompression(t *testing.T) {
	base := "ws" + strings.TrimPrefix(startRun(t, "-max-message", "4096"), "http")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, tc := range []struct {
		path, prefix string
	}{{"/echo", ""}, {"/ws", "Received: "}} {
		c, resp, err := (&handshake.Dialer{Compression: &handshake.Compression{ContextTakeover: true}}).Dial(ctx, base+tc.path)
		require.NoError(t, err)
		assert.Equal(t, "permessage-deflate", resp.Header.Get("Sec-WebSocket-Extensions"))
		c.NetConn().SetDeadline(time.Now().Add(10 * time.Second))
		for _, m := range []struct {
			op  handshake.Opcode
			msg string
		}{
			{handshake.OpText, "hi"},
			{handshake.OpText, strings.Repeat("compress me ", 200)},
			{handshake.OpBinary, strings.Repeat("\x00\x01", 1000)},
		} {
			require.NoError(t, c.WriteMessage(m.op, []byte(m.msg)))
			op, got, err := c.ReadMessage()
			require.NoError(t, err)
			assert.Equal(t, m.op, op)
			want := m.msg
			if m.op == handshake.OpText {
				want = tc.prefix + m.msg
			}
			assert.Equal(t, want, string(got))
		}
		// 5000 bytes of one letter compress to a few dozen: the limit is
		// on the 5000.
		require.NoError(t, c.WriteMessage(handshake.OpBinary, []byte(strings.Repeat("z", 5000))))
		_, _, err = c.ReadMessage()
		ce, ok := err.(*handshake.CloseError)
		require.True(t, ok, "got %v", err)
		assert.Equal(t, handshake.CloseTooBig, ce.Code)
		c.Close()
	}
}

// TestMaxMessageMustBePositive: a limit of 0 is refused at start.
func TestMaxMessageMustBePositive(t *testing.T) {
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-max-message", "0"}, io.Discard)
	assert.ErrorContains(t, err, "-max-message")
}
