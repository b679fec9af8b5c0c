// Command 3-utf8 is step 3 of the chapter "Echo on gorilla". Steps 1 and 2
// echoed a text message that is not UTF-8, which RFC 6455 §8.1 forbids:
// gorilla does not check text, and says so. This step checks it and
// closes with 1007.
//
//	go run ./echo-gorilla/steps/3-utf8   # then open http://localhost:1234
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
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web"
)

// upgrader's zero value refuses a page from another site (403) and accepts
// a client that sends no Origin: the right default.
var upgrader websocket.Upgrader

// maxMessageSize is the largest message echo reads: 1 MiB. gorilla's
// default is no limit at all.
const maxMessageSize = 1 << 20

// ANCHOR: close-with

// closeWait is how long we wait for the peer's close after ours.
const closeWait = time.Second

// closeWith sends a close frame, then reads, and drops, what the peer still
// sends until its close arrives or closeWait passes: closing a socket with
// unread bytes in it makes TCP send a reset, which can destroy our close
// frame before the peer reads it.
func closeWith(conn *websocket.Conn, code int, reason string) {
	msg := websocket.FormatCloseMessage(code, reason)
	_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeWait))
	_ = conn.SetReadDeadline(time.Now().Add(closeWait))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
	}
}

// ANCHOR_END: close-with

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

// echo upgrades the request and sends every message back with its own
// type, text with "Received: " in front, until a read or a write fails.
func echo(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with 400 or 403
	}
	defer conn.Close()
	// A message that grows past the limit is never buffered whole: gorilla
	// sends close 1009 (message too big) and ReadMessage fails.
	conn.SetReadLimit(maxMessageSize)
	for {
		kind, msg, err := conn.ReadMessage()
		if errors.Is(err, websocket.ErrReadLimit) {
			drain(conn) // gorilla has sent close 1009: let the client read it
			return
		}
		if err != nil {
			fmt.Println("can't receive:", err)
			return
		}
		// ANCHOR: utf8
		if kind == websocket.TextMessage && !utf8.Valid(msg) {
			// RFC 6455 §8.1: text must be UTF-8; gorilla leaves the check
			// to us. Close 1007 (invalid frame payload data).
			closeWith(conn, websocket.CloseInvalidFramePayloadData, "text is not UTF-8")
			return
		}
		// ANCHOR_END: utf8
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
