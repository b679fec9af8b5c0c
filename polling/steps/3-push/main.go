// Command 3-push is step 3 of the chapter "Before WebSocket": push. The
// client asks once, GET /ws?since=N with an Upgrade, and the server then
// sends every event after N as one JSON text message on that connection:
// no request per event, only a small frame. The lab (go run ./polling)
// grows this into its /ws with deadlines, a bounded ring and a slow-client
// policy (see "Inside the polling lab").
//
//	go run ./polling/steps/3-push
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/gorilla/websocket"
)

// event is one published message; ids are 1, 2, 3, … with no gaps.
type event struct {
	ID   int    `json:"id"`
	Data string `json:"data"`
}

var (
	mu      sync.Mutex
	events  []event
	changed = make(chan struct{}) // closed and replaced on every publish
)

// publish adds the request's body (at most 64 KiB) as an event and wakes
// every connection.
func publish(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	mu.Lock()
	events = append(events, event{ID: len(events) + 1, Data: string(body)})
	id := len(events)
	close(changed)
	changed = make(chan struct{})
	mu.Unlock()
	fmt.Fprintf(w, "{\"id\":%d}\n", id)
}

// upgrader's zero value refuses a page from another site (403).
var upgrader websocket.Upgrader

// push upgrades once, then writes every event after ?since=N as it comes.
func push(w http.ResponseWriter, r *http.Request) {
	since, err := strconv.Atoi(r.URL.Query().Get("since"))
	if err != nil || since < 0 {
		http.Error(w, "since must be an event id", http.StatusBadRequest)
		return
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with 400 or 403
	}
	defer conn.Close()
	gone := make(chan struct{})
	go func() { // read, so a close or a vanished client is noticed
		defer close(gone)
		for {
			if _, _, err := conn.NextReader(); err != nil {
				return
			}
		}
	}()
	// ANCHOR: push
	for {
		mu.Lock()
		news, wake := append([]event{}, events[min(since, len(events)):]...), changed
		mu.Unlock()
		for _, e := range news {
			if err := conn.WriteJSON(e); err != nil {
				return
			}
			since = e.ID
		}
		select {
		case <-wake:
		case <-gone:
			return
		}
	}
	// ANCHOR_END: push
}

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.HandleFunc("POST /publish", publish)
	http.HandleFunc("GET /ws", push)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
