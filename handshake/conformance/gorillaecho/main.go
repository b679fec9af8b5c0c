// Command gorillaecho is gorilla/websocket's exact echo at GET /echo, with
// compression on and the same message limit flag as handshake/echo: the
// other side of the chapter "Compression"'s Autobahn timings.
//
//	go run ./handshake/conformance/gorillaecho -addr 127.0.0.1:9002 -max-message 16777216
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"

	"github.com/gorilla/websocket"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9002", "TCP address to listen on")
	maxMessage := flag.Int64("max-message", 1<<20, "largest message in bytes")
	flag.Parse()
	upgrader := websocket.Upgrader{EnableCompression: true}
	http.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadLimit(*maxMessage)
		for {
			kind, msg, err := c.ReadMessage()
			if err != nil || c.WriteMessage(kind, msg) != nil {
				return
			}
		}
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}
