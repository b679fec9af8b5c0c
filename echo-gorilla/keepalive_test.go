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

func keepaliveServer(t *testing.T) string {
	h := &echoHandler{origins: &policy.Origins{}, tracker: &serve.Server{}, pingPeriod: testPingPeriod, pongWait: testPongWait}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// TestKeepalive: a peer that reads (and so answers pings with pongs) stays
// connected for many times pongWait; a peer that never answers is dropped.
func TestKeepalive(t *testing.T) {
	t.Run("a live peer is pinged and stays", func(t *testing.T) {
		c, _, err := websocket.DefaultDialer.Dial(keepaliveServer(t), nil)
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
		for range 20 { // 20 pings: 400 ms, four times pongWait
			select {
			case <-pings:
			case err := <-closed:
				t.Fatalf("a live peer was dropped: %v", err)
			case <-time.After(20 * testPingPeriod):
				t.Fatal("no ping came")
			}
		}
	})

	t.Run("a silent peer is dropped after pongWait", func(t *testing.T) {
		// A raw connection that never reads, so never answers a ping.
		c, _, err := websocket.DefaultDialer.Dial(keepaliveServer(t), nil)
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
