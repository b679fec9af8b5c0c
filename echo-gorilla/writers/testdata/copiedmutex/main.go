// Command copiedmutex is the quiet variant of the concurrent-write bug, for
// the chapter "What Go developers trip on": Locked's fix with one character
// gone. WriteMessage has a value receiver, so every call locks a copy of
// the mutex, and the two writers never wait for each other. It lives in
// testdata/ because go vet rejects it, which is the point; writers'
// TestCopiedMutex vets it and runs it.
package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ANCHOR: copied

// lockedConn is meant to make writes take turns.
type lockedConn struct {
	mu   sync.Mutex
	conn *websocket.Conn
}

// WriteMessage locks c.mu: the mutex of its own copy of c.
func (c lockedConn) WriteMessage(kind int, msg []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn.WriteMessage(kind, msg)
}

// ANCHOR_END: copied

// handler writes 200 messages of 16 KiB from each of two goroutines.
func handler(w http.ResponseWriter, r *http.Request) {
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	conn := lockedConn{conn: ws}
	msg := []byte(strings.Repeat("x", 16<<10))
	var wg sync.WaitGroup
	wg.Add(2)
	for range 2 {
		go func() {
			defer wg.Done()
			for range 200 {
				if conn.WriteMessage(websocket.TextMessage, msg) != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
}

func main() {
	srv := httptest.NewServer(http.HandlerFunc(handler))
	defer srv.Close()
	for range 50 { // the writers collide in most connections, not all
		c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for i := 0; i < 400; i++ {
			if _, _, err := c.ReadMessage(); err != nil {
				break
			}
		}
		c.Close()
	}
	fmt.Println("no collision in 50 connections")
}
