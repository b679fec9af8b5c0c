// Command 1-seed is step 1 of the chapter "Echo on gorilla": the original
// text's echo server written on gorilla/websocket instead of x/net, in the
// shape of gorilla's own examples/echo. gorilla gets right, from the first
// line, what the x/net chapter needed four steps for: the origin check,
// the message type and the closing handshake. What it leaves to us the
// next steps add, one each: a size limit (2-limit), the UTF-8 check
// (3-utf8) and a deadline for a peer that vanishes (4-keepalive).
//
//	go run ./echo-gorilla/steps/1-seed   # then open http://localhost:1234
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web"
)

// ANCHOR: echo

// upgrader's zero value refuses a page from another site (403) and accepts
// a client that sends no Origin: the right default.
var upgrader websocket.Upgrader

// echo upgrades the request and sends every message back with its own
// type, text with "Received: " in front, until a read or a write fails.
func echo(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with 400 or 403
	}
	defer conn.Close()
	for {
		kind, msg, err := conn.ReadMessage()
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

// ANCHOR_END: echo

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
