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
	pingPeriod = 50 * time.Millisecond
	pongWait   = 400 * time.Millisecond // 8 pings of slack: a loaded machine may stall a goroutine for a while
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
	for range 24 { // 24 pings: 1.2 s, three times pongWait
		select {
		case <-pings:
		case err := <-served:
			t.Fatalf("RFC 6455 §5.5.3: a pong answers a ping and proves the peer alive; the server dropped a peer that answers every ping (%v)", err)
		case <-time.After(10 * pongWait):
			t.Fatal("RFC 6455 §5.5.2: the server must send a ping every pingPeriod; none arrived")
		}
	}
}

// TestASilentPeerIsDropped: a client that never reads never answers a
// ping; the server must give up on it after pongWait.
func TestASilentPeerIsDropped(t *testing.T) {
	c, served := start(t)
	select {
	case err := <-served:
		assert.Error(t, err, "Serve returns the error of the read that timed out")
	case <-time.After(8 * pongWait):
		t.Fatal("RFC 6455 §5.5.2 and the chapter: a peer that sends nothing, not even a pong, for pongWait is gone; the server kept it 8 × pongWait")
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
	assert.True(t, gotPing, "RFC 6455 §5.5.2: the server pings before it gives up on a peer")
}

// TestAPeerThatTalksStays: a client that sends a message every pingPeriod
// but never reads (so never answers a ping) is alive too: every message
// moves the deadline, not only pongs.
func TestAPeerThatTalksStays(t *testing.T) {
	c, served := start(t)
	tick := time.NewTicker(pingPeriod)
	defer tick.Stop()
	for range 24 { // 1.2 s, three times pongWait
		select {
		case err := <-served:
			t.Fatalf("step 2: every message proves the peer alive and moves the deadline; the server dropped a peer that talks (%v)", err)
		case <-tick.C:
			require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte("still here")))
		}
	}
}
