// Command 2-accept is step 2 of the chapter "The opening handshake". Step
// 1's 101 had no Sec-WebSocket-Accept, and a client must refuse such an
// answer (RFC 6455 §4.1): the accept value proves that the server read
// this handshake. This step computes it from the client's key. It still
// says 101 to any request; step 3 checks them.
//
//	go run ./handshake/steps/2-accept
//
// Frames are the next chapter's: after the 101 this step reads and drops
// whatever comes until the client hangs up.
package main

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
)

// ANCHOR: accept

// guid is the fixed string of RFC 6455 §1.3 that the server appends to the
// client's key before hashing.
const guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// acceptKey is the Sec-WebSocket-Accept value for a key (§4.2.2): the
// base64 of the SHA-1 of key + guid, the key taken as the text it is.
func acceptKey(key string) string {
	sum := sha1.Sum([]byte(key + guid))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// ANCHOR_END: accept

// upgrade takes the connection from net/http and writes the 101 itself:
// from the blank line on, the connection no longer speaks HTTP.
func upgrade(w http.ResponseWriter, r *http.Request) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot take over the connection", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	// ANCHOR: write-accept
	_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + acceptKey(r.Header.Get("Sec-WebSocket-Key")) + "\r\n" +
		"\r\n")
	// ANCHOR_END: write-accept
	if rw.Flush() == nil {
		hold(rw.Reader)
	}
}

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
