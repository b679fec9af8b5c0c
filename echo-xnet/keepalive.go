package main

import (
	"sync"
	"time"

	"golang.org/x/net/websocket"
)

// ANCHOR: keepalive

// pinging is a Codec that sends pings. x/net has no ping API, but, as with
// closing (codec.go), Codec.Send writes whatever frame type Marshal
// returns, under the Conn's write lock.
var pinging = websocket.Codec{
	Marshal: func(any) ([]byte, byte, error) {
		return nil, websocket.PingFrame, nil
	},
}

// keepalive pings the peer every period until the returned stop is called.
// The peer's pong is swallowed inside x/net's Receive, but it passes
// through the wire, which moves the read deadline: a peer that stops
// answering is dropped after pongWait. A ping that cannot be written
// within writeWait means the peer stopped reading: we hang up, as
// gorilla's chat example does.
//
// The pings come from a timer, not from a goroutine of their own as in
// gorilla's example: a parked goroutine's stack is most of what an idle
// connection would cost on top of x/net's (handshake/perf measures it).
func keepalive(ws *websocket.Conn, w *wire, period time.Duration) (stop func()) {
	var mu sync.Mutex
	stopped := false
	var timer *time.Timer
	mu.Lock()
	defer mu.Unlock()
	timer = time.AfterFunc(period, func() {
		if err := pinging.Send(ws, nil); err != nil {
			_ = w.Close()
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if !stopped {
			timer.Reset(period)
		}
	})
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		timer.Stop()
	}
}

// ANCHOR_END: keepalive
