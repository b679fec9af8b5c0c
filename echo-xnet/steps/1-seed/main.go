// Command 1-seed is step 1 of the chapter "Echo on x/net": the echo server
// of the original text, on the package's import path of today
// (golang.org/x/net/websocket). It works for a text message typed into a
// page, and gets three things wrong that the next steps fix, one each: a
// page from any web site may connect while a program that sends no Origin
// is refused (2-origin), a binary message comes back as text (3-binary),
// and a close from the client gets no close back (4-close).
//
//	go run ./echo-xnet/steps/1-seed    # the socket is ws://localhost:1234/
//
// Beside the original's lines there is one flag and one printed line,
// "listening on http://HOST:PORT", so that a test can run it on a free port.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"

	"golang.org/x/net/websocket"
)

// ANCHOR: echo

// echo reads a message into a string and sends it back with "Received: "
// in front, until a read or a write fails.
func echo(ws *websocket.Conn) {
	for {
		var msg string
		if err := websocket.Message.Receive(ws, &msg); err != nil {
			fmt.Println("can't receive:", err)
			return
		}
		fmt.Println("received from client:", msg)
		if err := websocket.Message.Send(ws, "Received: "+msg); err != nil {
			fmt.Println("can't send:", err)
			return
		}
	}
}

// ANCHOR_END: echo

// ANCHOR: main
func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.Handle("/", websocket.Handler(echo))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}

// ANCHOR_END: main
