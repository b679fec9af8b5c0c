package writers

import (
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ANCHOR: locked-conn

// lockedConn is a gorilla connection whose writes take turns. It is used
// through a pointer, always: a copy would copy the mutex, and each copy
// would lock only itself (go vet: "passes lock by value").
type lockedConn struct {
	mu   sync.Mutex // held for the whole of one message
	conn *websocket.Conn
}

// WriteMessage writes one message, within writeWait, once no other
// goroutine is writing.
func (c *lockedConn) WriteMessage(kind int, msg []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(writeWait))
	return c.conn.WriteMessage(kind, msg)
}

// ANCHOR_END: locked-conn

// Locked is Naive with its writes behind a mutex: the first fix. Simple,
// and right when writes are rare and fast; but a writer waits while another
// writes to a slow peer, so one slow client stalls whatever pushes to it.
type Locked struct {
	// Push carries the messages the server sends on its own.
	Push <-chan []byte
}

// ANCHOR: locked

// ServeHTTP upgrades and runs both writers, which now take turns.
func (h *Locked) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	conn := &lockedConn{conn: ws}
	stop := make(chan struct{})
	defer close(stop)

	go func() {
		for {
			select {
			case msg := <-h.Push:
				if conn.WriteMessage(websocket.TextMessage, msg) != nil {
					return
				}
			case <-stop:
				return
			}
		}
	}()
	for {
		kind, msg, err := ws.ReadMessage() // one reader: this goroutine
		if err != nil {
			return
		}
		if conn.WriteMessage(kind, msg) != nil {
			return
		}
	}
}

// ANCHOR_END: locked
