// Command 4-keepalive is step 4 of the chapter "Echo on gorilla". Steps 1
// to 3 waited for ever on a peer that vanished without a word (a laptop
// lid shut, a mobile network gone): ReadMessage blocks until TCP's
// keepalive gives up, 2.5 minutes with Go's defaults (15 s idle, then 9
// probes 15 s apart). This step pings the peer and drops it when no pong
// comes within pongWait.
//
//	go run ./echo-gorilla/steps/4-keepalive   # then open http://localhost:1234
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

// ANCHOR: keepalive

// pongWait is how long a peer may stay silent, and pingPeriod how often we
// ping: shorter than pongWait, so that a live peer has time to answer.
// writeWait bounds every write. -pong-wait sets pongWait (tests use
// milliseconds).
var (
	pongWait   = flag.Duration("pong-wait", 60*time.Second, "drop a peer this silent")
	pingPeriod = func() time.Duration { return *pongWait * 9 / 10 }
)

// writeWait bounds every write: a peer that stops reading cannot block us.
const writeWait = 10 * time.Second

// keepalive pings every pingPeriod until stop is closed. gorilla allows
// one writer at a time, but WriteControl may be called at any time.
func keepalive(conn *websocket.Conn, stop <-chan struct{}) {
	ticker := time.NewTicker(pingPeriod())
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			err := conn.WriteControl(websocket.PingMessage, nil,
				time.Now().Add(writeWait))
			if err != nil {
				return
			}
		case <-stop:
			return
		}
	}
}

// ANCHOR_END: keepalive

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
	// ANCHOR: deadline
	// Every pong moves the read deadline: a peer that stops answering is
	// dropped when it passes, even if TCP never reports an error.
	_ = conn.SetReadDeadline(time.Now().Add(*pongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(*pongWait))
	})
	stop := make(chan struct{})
	defer close(stop)
	go keepalive(conn, stop)
	// ANCHOR_END: deadline
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
		if kind == websocket.TextMessage && !utf8.Valid(msg) {
			// RFC 6455 §8.1: text must be UTF-8; gorilla leaves the check
			// to us. Close 1007 (invalid frame payload data).
			closeWith(conn, websocket.CloseInvalidFramePayloadData, "text is not UTF-8")
			return
		}
		if kind == websocket.TextMessage {
			msg = append([]byte("Received: "), msg...)
		}
		_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
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
