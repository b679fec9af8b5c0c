// Command 2-long is step 2 of the chapter "Before WebSocket": long polling
// (RFC 6202 §2.1). GET /longpoll?since=N holds the request until there is
// an event after N, or answers [] after -timeout (§5.5: before a proxy
// cuts a silent request). No more empty answers, but every event still
// costs one whole request and response, headers and all. The next step
// (3-push) asks once and pushes every event on one WebSocket.
//
//	go run ./polling/steps/2-long
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// event is one published message; ids are 1, 2, 3, … with no gaps.
type event struct {
	ID   int    `json:"id"`
	Data string `json:"data"`
}

// ANCHOR: changed
var (
	mu      sync.Mutex
	events  []event
	changed = make(chan struct{}) // closed and replaced on every publish
)

// ANCHOR_END: changed

// publish adds the request's body (at most 64 KiB) as an event and wakes
// every waiting request.
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

// ANCHOR: longpoll

// longPoll holds the request until there is an event after ?since=N, the
// timeout passes or the client goes away.
func longPoll(timeout time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		since, err := strconv.Atoi(r.URL.Query().Get("since"))
		if err != nil || since < 0 {
			http.Error(w, "since must be an event id", http.StatusBadRequest)
			return
		}
		deadline := time.NewTimer(timeout)
		defer deadline.Stop()
		for {
			mu.Lock()
			news, wake := append([]event{}, events[min(since, len(events)):]...), changed
			mu.Unlock()
			if len(news) > 0 {
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(news)
				return
			}
			select {
			case <-wake: // an event: look again
			case <-deadline.C:
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintln(w, "[]")
				return
			case <-r.Context().Done():
				return // the client went away
			}
		}
	}
}

// ANCHOR_END: longpoll

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	timeout := flag.Duration("timeout", 30*time.Second, "answer [] after this long")
	flag.Parse()
	http.HandleFunc("POST /publish", publish)
	http.HandleFunc("GET /longpoll", longPoll(*timeout))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
