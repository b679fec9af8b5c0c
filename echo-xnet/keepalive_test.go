package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// Short stand-ins for the 30 s, 60 s and 10 s of production.
const (
	testPingPeriod = 20 * time.Millisecond
	testPongWait   = 100 * time.Millisecond
	testWriteWait  = 100 * time.Millisecond
	// testBound is how long a test waits for a drop that should come after
	// one testPongWait or testWriteWait: generous, for a loaded machine.
	testBound = 3 * time.Second
)

// TestLivePeerStays: a peer that answers pings (gorilla's client does, as
// browsers do) stays connected for many times pongWait, though it sends
// nothing else: x/net swallows the pongs, but the wire sees them.
func TestLivePeerStays(t *testing.T) {
	rec := webtest.NewRecorder()
	// Periods five times the other tests': a loaded machine (CI runs the
	// packages in parallel) can hold this client's goroutine off the CPU
	// for longer than 100 ms, and a client that cannot run cannot pong.
	const pingPeriod, pongWait = 5 * testPingPeriod, 5 * testPongWait
	url := startEcho(t, &echoServer{prefix: prefix, tracker: rec, pingPeriod: pingPeriod, pongWait: pongWait})
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	defer c.Close()
	rec.WaitTracked(t)
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
		case <-rec.IsDone(0):
			t.Fatal("a live peer was dropped")
		case <-time.After(testBound):
			t.Fatal("no ping came")
		}
	}
}

// TestDeadPeersAreDropped: each of these peers must be let go, and each
// within its bound. Without a keepalive and bounded pongs, x/net kept every
// one of them for as long as the TCP connection lived.
func TestDeadPeersAreDropped(t *testing.T) {
	cases := []struct {
		name     string
		act      func(t *testing.T, c *webtest.RawConn)
		after    time.Duration // the drop may not come before this
		pongWait time.Duration // the server's
		within   time.Duration // the drop must come before this
	}{
		{"a silent peer, after pongWait", func(*testing.T, *webtest.RawConn) {}, testPongWait, testPongWait, testBound},
		{"a peer that vanishes in the middle of a frame, after pongWait", func(t *testing.T, c *webtest.RawConn) {
			frame := webtest.ClientFrame(websocket.BinaryMessage, make([]byte, 1000))
			c.Send(t, frame[:20]) // the header and 12 bytes of 1000
		}, testPongWait, testPongWait, testBound},
		{"a peer that trickles a frame, a byte at a time, after pongWait", func(t *testing.T, c *webtest.RawConn) {
			// Each byte alone would keep a deadline fed by bytes alive;
			// a frame must arrive whole.
			frame := webtest.ClientFrame(websocket.BinaryMessage, make([]byte, 1000))
			go func() {
				tick := time.NewTicker(testPongWait / 4)
				defer tick.Stop()
				for _, b := range frame {
					<-tick.C
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
				}
			}()
		}, testPongWait, testPongWait, testBound},
		{"a peer that pings and never reads, after writeWait", func(t *testing.T, c *webtest.RawConn) {
			// Pings with 125 bytes each, until the server's pongs fill
			// both socket buffers and its pong write blocks.
			pings := bytes.Repeat(webtest.ClientFrame(websocket.PingMessage, bytes.Repeat([]byte{'p'}, 125)), 512)
			go func() {
				c.SetWriteDeadline(time.Now().Add(20 * time.Second))
				for {
					if _, err := c.Write(pings); err != nil {
						return
					}
				}
			}()
			// pongWait (and with it pingPeriod) is an hour here: the pong
			// writes must end it, not the read deadline or our pings.
			// Filling the buffers takes a while under -race on a busy machine.
		}, 0, time.Hour, 10 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := webtest.NewRecorder()
			s := &echoServer{prefix: prefix, tracker: rec, pingPeriod: tc.pongWait / 5, pongWait: tc.pongWait, writeWait: testWriteWait}
			url := startEcho(t, s)
			// The clock starts before the dial: the server's read deadline
			// starts at the handshake, before the test sees it tracked.
			start := time.Now()
			c := webtest.DialRaw(t, url)
			rec.WaitTracked(t)
			tc.act(t, c)
			rec.WaitDone(t, 0, tc.within)
			assert.GreaterOrEqual(t, time.Since(start), tc.after, "dropped too soon")
		})
	}
}
