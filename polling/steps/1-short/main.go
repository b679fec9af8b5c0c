// Command 1-short is step 1 of the chapter "Before WebSocket": short
// polling. POST /publish adds an event; GET /poll?since=N answers at once
// with the events after N, which most of the time is "nothing new" ([]).
// The client asks again every interval, so it pays a whole HTTP exchange
// for every empty answer. The log keeps every event: the lab's ring bounds
// it. The next step (2-long) holds the request until there is news.
//
//	go run ./polling/steps/1-short
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
)

// event is one published message; ids are 1, 2, 3, … with no gaps.
type event struct {
	ID   int    `json:"id"`
	Data string `json:"data"`
}

var (
	mu     sync.Mutex
	events []event
)

// publish adds the request's body (at most 64 KiB) as an event.
func publish(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	mu.Lock()
	events = append(events, event{ID: len(events) + 1, Data: string(body)})
	id := len(events)
	mu.Unlock()
	fmt.Fprintf(w, "{\"id\":%d}\n", id)
}

// ANCHOR: poll

// poll answers at once with the events after ?since=N: usually none.
func poll(w http.ResponseWriter, r *http.Request) {
	since, err := strconv.Atoi(r.URL.Query().Get("since"))
	if err != nil || since < 0 {
		http.Error(w, "since must be an event id", http.StatusBadRequest)
		return
	}
	mu.Lock()
	news := append([]event{}, events[min(since, len(events)):]...)
	mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(news) // [] when there is nothing new
}

// ANCHOR_END: poll

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.HandleFunc("POST /publish", publish)
	http.HandleFunc("GET /poll", poll)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
