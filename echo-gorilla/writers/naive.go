package writers

import (
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// writeWait bounds every write: a peer that stops reading costs its own
// connection, never the server's goroutines for ever.
const writeWait = 10 * time.Second

// upgrader accepts same-origin pages and clients that send no Origin:
// gorilla's default CheckOrigin.
var upgrader = websocket.Upgrader{}

// ANCHOR: naive

// Naive echoes every message and writes every message from Push, from two
// goroutines at once. It is wrong: gorilla's connections support one
// concurrent writer, and under load it panics with "concurrent write to
// websocket connection".
type Naive struct {
	// Push carries the messages the server sends on its own.
	Push <-chan []byte
}

// ServeHTTP upgrades and runs both writers.
func (h *Naive) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	stop := make(chan struct{})
	defer close(stop)

	go func() { // writer 2: the pushes
		for {
			select {
			case msg := <-h.Push:
				conn.SetWriteDeadline(time.Now().Add(writeWait))
				if conn.WriteMessage(websocket.TextMessage, msg) != nil {
					return
				}
			case <-stop:
				return
			}
		}
	}()
	for { // writer 1: the echo
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		conn.SetWriteDeadline(time.Now().Add(writeWait))
		if conn.WriteMessage(kind, msg) != nil {
			return
		}
	}
}

// ANCHOR_END: naive
