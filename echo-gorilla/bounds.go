package main

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

// ANCHOR: pong

// errPong marks a pong we could not write.
var errPong = errors.New("answering a ping")

// pong answers a ping within writeWait. gorilla's own ping handler waits
// one second and then ignores the failure, so a client that pings and never
// reads was kept until pongWait ran out (for ever, if it also sent pongs of
// its own); ours returns the failure, and ReadMessage ends the loop.
func pong(conn *websocket.Conn, data string, writeWait time.Duration) error {
	err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeWait))
	if err == nil || errors.Is(err, websocket.ErrCloseSent) {
		return nil
	}
	return fmt.Errorf("%w: %w", errPong, err)
}

// ANCHOR_END: pong

// ANCHOR: goodbye

// goingAway is the shutdown goodbye, called from another goroutine: close
// 1001 within serve.GoodbyeWait. WriteControl waits for gorilla's write
// lock, but only until its deadline; if the echo loop holds the lock in a
// write to a peer that stopped reading, the goodbye fails in time and we
// close the connection, which ends that write at once. Once our close is
// out, the peer has policy.CloseGrace to answer it.
func goingAway(conn *websocket.Conn, reads *readDeadline) {
	msg := websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down")
	reads.closing()
	if err := conn.WriteControl(websocket.CloseMessage, msg,
		time.Now().Add(serve.GoodbyeWait)); err != nil {
		conn.Close()
	}
}

// ANCHOR_END: goodbye

// readDeadline moves a connection's read deadline forward on every frame,
// until our goodbye fixes it at CloseGrace. The lock keeps a late move from
// undoing the goodbye's deadline.
type readDeadline struct {
	mu     sync.Mutex
	conn   *websocket.Conn
	wait   time.Duration
	closed bool
}

// extend moves the deadline wait ahead, unless we have said goodbye.
func (d *readDeadline) extend() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		_ = d.conn.SetReadDeadline(time.Now().Add(d.wait))
	}
}

// closing fixes the deadline at CloseGrace from now.
func (d *readDeadline) closing() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	_ = d.conn.SetReadDeadline(time.Now().Add(policy.CloseGrace))
}
