package events

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/serve"
)

// firstLine is an io.Writer that hands the first line written to it over a
// channel: serve.Server.Run writes "listening on URL" there.
type firstLine chan string

func (f firstLine) Write(p []byte) (int, error) {
	select {
	case f <- string(p):
	default:
	}
	return len(p), nil
}

// TestLongPollOutlastsTheServersWriteTimeout: serve.Server gives every
// request a write deadline (WriteTimeout); a long poll waits longer than
// that on purpose, and must still deliver its answer, because the handler
// sets a fresh deadline just before it writes.
func TestLongPollOutlastsTheServersWriteTimeout(t *testing.T) {
	const writeTimeout, longPoll = 50 * time.Millisecond, 300 * time.Millisecond
	h := &Handlers{Log: NewLog(0), LongPollTimeout: longPoll}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := &serve.Server{Addr: "127.0.0.1:0", Handler: mux, WriteTimeout: writeTimeout}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(firstLine, 1)
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx, out) }()
	defer func() { cancel(); require.NoError(t, <-ran) }()
	base := strings.TrimSpace(strings.TrimPrefix(<-out, "listening on "))

	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(base + "/longpoll?since=0")
	require.NoError(t, err, "the answer was cut off by the write deadline")
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	var events []Event
	require.NoError(t, json.Unmarshal(body, &events))
	assert.Empty(t, events, "the long poll timed out with []")
}
