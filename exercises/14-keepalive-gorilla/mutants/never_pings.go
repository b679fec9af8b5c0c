//go:build mutant && mutant_never_pings

// Mistake: no ping goroutine: the server only waits, and a quiet peer has nothing to answer.

package keepalive

import (
	"time"

	"github.com/gorilla/websocket"
)

// Serve reads from conn until it fails, pinging every pingPeriod. A peer
// that has sent nothing, not even a pong, for pongWait is dropped: Serve
// then returns an error. Messages are read and discarded.
func Serve(conn *websocket.Conn, pingPeriod, pongWait time.Duration) error {
	conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		ticker := time.NewTicker(pingPeriod)
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				_ = websocket.PingMessage
			case <-stop:
				return
			}
		}
	}()
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return err
		}
		conn.SetReadDeadline(time.Now().Add(pongWait))
	}
}
