// Command 2-limit is step 2 of the chapter "Echo on gorilla". Step 1 read
// messages of any size, because gorilla sets no limit unless asked: one
// client could make the server hold a gigabyte. This step sets a read
// limit of 1 MiB; gorilla answers a bigger message with close 1009.
//
//	go run ./echo-gorilla/steps/2-limit   # then open http://localhost:1234
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web"
)

// upgrader's zero value refuses a page from another site (403) and accepts
// a client that sends no Origin: the right default.
var upgrader websocket.Upgrader

// ANCHOR: limit

// maxMessageSize is the largest message echo reads: 1 MiB. gorilla's
// default is no limit at all.
const maxMessageSize = 1 << 20

// ANCHOR_END: limit

// ANCHOR: drain

// drain reads and drops what the client still sends, the rest of a big
// message included, until it hangs up or drainWait passes. Closing a
// socket with unread bytes in it makes TCP send a reset, which can destroy
// our close frame before the client reads it. gorilla's reader has stopped
// at the limit, so this reads the TCP connection underneath.
func drain(conn *websocket.Conn) {
	raw := conn.UnderlyingConn()
	_ = raw.SetReadDeadline(time.Now().Add(drainWait))
	_, _ = io.Copy(io.Discard, raw)
}

// drainWait is how long drain waits for the client to hang up.
const drainWait = time.Second

// ANCHOR_END: drain

// echo upgrades the request and sends every message back with its own
// type, text with "Received: " in front, until a read or a write fails.
func echo(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with 400 or 403
	}
	defer conn.Close()
	// ANCHOR: set-limit
	// A message that grows past the limit is never buffered whole: gorilla
	// sends close 1009 (message too big) and ReadMessage fails.
	conn.SetReadLimit(maxMessageSize)
	// ANCHOR_END: set-limit
	for {
		kind, msg, err := conn.ReadMessage()
		// ANCHOR: too-big
		if errors.Is(err, websocket.ErrReadLimit) {
			drain(conn) // gorilla has sent close 1009: let the client read it
			return
		}
		// ANCHOR_END: too-big
		if err != nil {
			fmt.Println("can't receive:", err)
			return
		}
		if kind == websocket.TextMessage {
			msg = append([]byte("Received: "), msg...)
		}
		if err := conn.WriteMessage(kind, msg); err != nil {
			fmt.Println("can't send:", err)
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.Handle("GET /", web.Handler())
	http.HandleFunc("GET /ws", echo)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
