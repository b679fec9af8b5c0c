//go:build mutant && mutant_messages_do_not_count

// Mistake: only pongs move the deadline: a peer that talks but does not answer pings is dropped.

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
				if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(pingPeriod)) != nil {
					return
				}
			case <-stop:
				return
			}
		}
	}()
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return err
		}
	}
}
