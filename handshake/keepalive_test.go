package handshake

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test keepalive durations: milliseconds, so that a dropped peer does not
// take a minute. A live peer gets more room (livePingPeriod, livePongWait):
// on a loaded machine under -race its reading goroutine may wait longer
// than 100 ms for a CPU, and it would be dropped for the machine's sake,
// not its own.
const (
	testPingPeriod = 20 * time.Millisecond
	testPongWait   = 100 * time.Millisecond
	livePingPeriod = 100 * time.Millisecond
	livePongWait   = time.Second
)

// startKeepaliveServer runs an echo whose Conn pings every testPingPeriod
// and drops a peer silent for testPongWait. Each ended connection's read
// error arrives on the returned channel.
func startKeepaliveServer(t *testing.T) (string, <-chan error) {
	return startKeepaliveServerWith(t, testPingPeriod, testPongWait)
}

// startKeepaliveServerWith is startKeepaliveServer with other durations.
func startKeepaliveServerWith(t *testing.T, ping, pong time.Duration) (string, <-chan error) {
	ended := make(chan error, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Upgrade(w, r, &Options{PingPeriod: ping, PongWait: pong})
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			for {
				op, msg, err := c.ReadMessage()
				if err != nil {
					ended <- err
					return
				}
				if err := c.WriteMessage(op, msg); err != nil {
					ended <- err
					return
				}
			}
		}()
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), ended
}

// TestKeepaliveDropsAVanishedPeer: a peer that answers nothing (no pong),
// or stops half-way through a frame, is dropped after PongWait.
func TestKeepaliveDropsAVanishedPeer(t *testing.T) {
	cases := map[string][]byte{
		"silent":              nil,
		"half-way in a frame": frame(true, 0, OpBinary, true, []byte("0123456789"))[:8],
	}
	for name, send := range cases {
		t.Run(name, func(t *testing.T) {
			url, ended := startKeepaliveServer(t)
			p := dialRaw(t, url) // a raw peer: it reads nothing and answers no ping
			if send != nil {
				p.send(send)
			}
			select {
			case err := <-ended:
				require.ErrorIs(t, err, os.ErrDeadlineExceeded)
				assert.ErrorContains(t, err, "no frame from the peer for 100ms")
			case <-time.After(testTimeout):
				t.Fatal("the vanished peer was kept")
			}
		})
	}
}

// TestKeepaliveKeepsALivePeer: a peer that answers pings (our Conn does,
// inside ReadMessage) stays for many PongWaits, and can still talk.
func TestKeepaliveKeepsALivePeer(t *testing.T) {
	url, ended := startKeepaliveServerWith(t, livePingPeriod, livePongWait)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, _, err := Dial(ctx, url, nil)
	require.NoError(t, err)
	defer c.Close()
	echoes := make(chan string, 1)
	go func() {
		for {
			_, msg, err := c.ReadMessage() // answers the server's pings
			if err != nil {
				return
			}
			echoes <- string(msg)
		}
	}()

	quiet := time.NewTimer(3 * livePongWait) // the peer says nothing but pongs
	select {
	case err := <-ended:
		t.Fatalf("the live peer was dropped: %v", err)
	case <-quiet.C:
	}
	require.NoError(t, c.WriteMessage(OpText, []byte("still here")))
	select {
	case got := <-echoes:
		assert.Equal(t, "still here", got)
	case err := <-ended:
		t.Fatalf("the live peer was dropped: %v", err)
	case <-time.After(testTimeout):
		t.Fatal("no echo")
	}
}
