package main

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

// Short stand-ins for the 30 s and 60 s of production.
const (
	testPingPeriod = 20 * time.Millisecond
	testPongWait   = 100 * time.Millisecond
)

// keepaliveServer serves the echo with a keepalive of these periods.
func keepaliveServer(t *testing.T, pingPeriod, pongWait time.Duration) string {
	h := &echoHandler{origins: &policy.Origins{}, tracker: &serve.Server{}, pingPeriod: pingPeriod, pongWait: pongWait}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// TestKeepalive: a peer that reads (and so answers pings with pongs) stays
// connected for many times pongWait; a peer that never answers is dropped.
func TestKeepalive(t *testing.T) {
	t.Run("a live peer is pinged and stays", func(t *testing.T) {
		// Periods five times the silent peer's: a loaded machine (CI runs
		// the packages in parallel) can hold this client's goroutine off
		// the CPU for longer than 100 ms, and a client that cannot run
		// cannot pong.
		const pingPeriod, pongWait = 5 * testPingPeriod, 5 * testPongWait
		c, _, err := websocket.DefaultDialer.Dial(keepaliveServer(t, pingPeriod, pongWait), nil)
		require.NoError(t, err)
		defer c.Close()
		pings := make(chan struct{}, 64)
		c.SetPingHandler(func(data string) error {
			pings <- struct{}{}
			return c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		closed := make(chan error, 1)
		go func() {
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					closed <- err
					return
				}
			}
		}()
		for range 20 { // 20 pings: 2 s, four times pongWait
			select {
			case <-pings:
			case err := <-closed:
				t.Fatalf("a live peer was dropped: %v", err)
			case <-time.After(20 * pingPeriod):
				t.Fatal("no ping came")
			}
		}
	})

	t.Run("a silent peer is dropped after pongWait", func(t *testing.T) {
		// A raw connection that never reads, so never answers a ping.
		c, _, err := websocket.DefaultDialer.Dial(keepaliveServer(t, testPingPeriod, testPongWait), nil)
		require.NoError(t, err)
		defer c.Close()
		c.SetPingHandler(func(string) error { return nil }) // swallow pings: no pong
		c.SetReadDeadline(time.Now().Add(50 * testPongWait))
		for {
			_, _, err := c.ReadMessage()
			if err == nil {
				continue
			}
			assert.False(t, isTimeout(err), "the server should have dropped us, not left us waiting: %v", err)
			return
		}
	})
}

func isTimeout(err error) bool {
	return err != nil && strings.Contains(err.Error(), "timeout")
}
