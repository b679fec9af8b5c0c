package keepalive

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	pingPeriod = 20 * time.Millisecond
	pongWait   = 100 * time.Millisecond
)

// start runs Serve on a test server and returns a client connected to it
// and a channel that receives Serve's result.
func start(t *testing.T) (*websocket.Conn, chan error) {
	served := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		served <- Serve(conn, pingPeriod, pongWait)
	}))
	t.Cleanup(srv.Close)
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, served
}

// TestALivePeerStays: a client that reads (and so answers every ping with a
// pong) stays connected for several times pongWait, and sees the pings.
func TestALivePeerStays(t *testing.T) {
	c, served := start(t)
	pings := make(chan struct{}, 100)
	c.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go func() {
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for range 15 { // 15 pings: 300 ms, three times pongWait
		select {
		case <-pings:
		case err := <-served:
			t.Fatalf("the server dropped a live peer: %v", err)
		case <-time.After(10 * pongWait):
			t.Fatal("no ping arrived")
		}
	}
}

// TestASilentPeerIsDropped: a client that never reads never answers a
// ping; the server must give up on it after pongWait.
func TestASilentPeerIsDropped(t *testing.T) {
	c, served := start(t)
	select {
	case err := <-served:
		assert.Error(t, err)
	case <-time.After(20 * pongWait):
		t.Fatal("the server kept a silent peer")
	}
	// The server pinged before it gave up.
	c.SetReadDeadline(time.Now().Add(time.Second))
	gotPing := false
	c.SetPingHandler(func(string) error { gotPing = true; return nil })
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			break
		}
	}
	assert.True(t, gotPing, "the server never pinged")
}
