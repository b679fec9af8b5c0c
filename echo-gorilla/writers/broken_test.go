package writers

import (
	"cmp"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// ANCHOR: leaky

// leakyPump is Pump as it is often first written: the pusher waits for
// the next push and nothing else, and nobody waits for it. Every test
// passes; every connection leaves a goroutine behind, blocked in
// <-h.Push, for ever. MainNoLeaks catches it when the tests end.
type leakyPump struct {
	Push  <-chan []byte
	Queue int
}

func (h *leakyPump) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	out := newOutbox(cmp.Or(h.Queue, defaultQueue))
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			kind, msg, err := conn.ReadMessage()
			if err != nil || !out.offer(message{kind, msg}) {
				return
			}
		}
	}()
	go func() {
		for msg := range h.Push { // leaks: nothing ends this loop
			out.offer(message{websocket.TextMessage, msg})
		}
	}()
	for {
		select {
		case m := <-out.queue:
			conn.SetWriteDeadline(time.Now().Add(writeWait))
			if conn.WriteMessage(m.kind, m.data) != nil {
				return
			}
		case <-out.evicted:
			return
		case <-readerDone:
			return
		}
	}
}

// ANCHOR_END: leaky

// noDeadlinePump is Pump with no write deadline: a client that stops
// reading holds its writer, and the handler, for ever.
type noDeadlinePump struct {
	Push <-chan []byte
}

func (h *noDeadlinePump) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	for msg := range h.Push {
		// ANCHOR: no-deadline
		if conn.WriteMessage(websocket.TextMessage, msg) != nil { // no SetWriteDeadline
			return
		}
		// ANCHOR_END: no-deadline
	}
}

// ANCHOR: racy

// racyLocked is Locked with a message counter for a metrics page, bumped
// by both writers: the writes take turns, the counter does not. Every test
// passes without -race; with it, the detector names both lines.
type racyLocked struct {
	Push <-chan []byte
	sent int // written by two goroutines: a data race
}

func (h *racyLocked) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
				h.sent++ // the pusher's count
			case <-stop:
				return
			}
		}
	}()
	for {
		kind, msg, err := ws.ReadMessage()
		if err != nil || conn.WriteMessage(kind, msg) != nil {
			return
		}
		h.sent++ // the echo's count
	}
}

// ANCHOR_END: racy
