// Command 1-hijack is step 1 of the chapter "The opening handshake": a
// first attempt at a WebSocket server by hand. It takes the TCP connection
// from net/http and answers every request on /ws with a 101 and the two
// headers that name the new protocol. A real client refuses it: the
// answer lacks Sec-WebSocket-Accept (step 2 adds it), and it says 101 to
// any request at all (step 3 checks them).
//
//	go run ./handshake/steps/1-hijack
//
// Frames are the next chapter's: after the 101 this step reads and drops
// whatever comes until the client hangs up.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
)

// ANCHOR: upgrade

// upgrade takes the connection from net/http and writes the 101 itself:
// from the blank line on, the connection no longer speaks HTTP.
func upgrade(w http.ResponseWriter, r *http.Request) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot take over the connection", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"\r\n")
	if rw.Flush() == nil {
		hold(rw.Reader)
	}
}

// ANCHOR_END: upgrade

// hold reads and drops what the client sends until it hangs up.
func hold(r *bufio.Reader) {
	_, _ = io.Copy(io.Discard, r)
}

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.HandleFunc("/ws", upgrade)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
