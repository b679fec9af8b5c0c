package main

import (
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

// keepalive pings the peer every period until stop is closed. The peer's
// pong is swallowed inside x/net's Receive, but it passes through the wire,
// which moves the read deadline: a peer that stops answering is dropped
// after pongWait. A ping that cannot be written within writeWait means the
// peer stopped reading: we hang up, as gorilla's chat example does.
func keepalive(ws *websocket.Conn, w *wire, period time.Duration, stop <-chan struct{}) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			if err := pinging.Send(ws, nil); err != nil {
				_ = w.Close()
				return
			}
		case <-stop:
			return
		}
	}
}

// ANCHOR_END: keepalive
