// Command 2-origin is step 2 of the chapter "Echo on x/net". Step 1 used
// websocket.Handler, whose origin check is backwards for a server: it
// accepts a page from any web site and refuses every program that sends no
// Origin header. This step serves the page itself, at "/", moves the socket
// to "/ws", and answers the handshake with a websocket.Server whose
// Handshake func accepts no Origin or this server's own, and nothing else.
//
//	go run ./echo-xnet/steps/2-origin   # then open http://localhost:1234
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/websocket-in-go/workbook/web"
	"golang.org/x/net/websocket"
)

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

// ANCHOR: origin

// sameOrigin is the Handshake func: a request with no Origin comes from a
// program, not a page, and may connect; a page may connect only if it was
// served by this host (RFC 6455 §10.2). When it returns an error, x/net
// answers 403 Forbidden and never calls echo.
func sameOrigin(_ *websocket.Config, r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || !strings.EqualFold(u.Host, r.Host) {
		return fmt.Errorf("origin %q is not this server's (%s)", origin, r.Host)
	}
	return nil
}

// ANCHOR_END: origin

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	// ANCHOR: routes
	http.Handle("GET /", web.Handler())
	http.Handle("GET /ws", websocket.Server{Handshake: sameOrigin, Handler: echo})
	// ANCHOR_END: routes
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
