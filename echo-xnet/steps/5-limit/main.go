// Command 5-limit is step 5 of the chapter "Echo on x/net". Steps 1 to 4
// read frames of up to 32 MiB, x/net's default, so one client could make
// the server hold 32 MiB per message. This step lowers the limit to 1 MiB
// and, because x/net only returns ErrFrameTooLarge and tells the peer
// nothing, sends close 1009 (message too big) itself.
//
//	go run ./echo-xnet/steps/5-limit   # then open http://localhost:1234
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/websocket-in-go/workbook/web"
	"golang.org/x/net/websocket"
)

// message is one frame's payload and its type: websocket.TextFrame (1) or
// websocket.BinaryFrame (2).
type message struct {
	kind byte
	data []byte
}

// typed is a websocket.Codec that keeps the payload type, which
// websocket.Message loses: receiving into a string turns binary into text.
var typed = websocket.Codec{
	Marshal: func(v any) ([]byte, byte, error) {
		m, ok := v.(message)
		if !ok {
			return nil, websocket.UnknownFrame, websocket.ErrNotSupported
		}
		return m.data, m.kind, nil
	},
	Unmarshal: func(data []byte, kind byte, v any) error {
		m, ok := v.(*message)
		if !ok {
			return websocket.ErrNotSupported
		}
		m.kind, m.data = kind, data
		return nil
	},
}

// ANCHOR: limit

// maxMessageSize is the largest frame echo reads: 1 MiB, not x/net's
// default of 32 MiB.
const maxMessageSize = 1 << 20

// closeTooBig is the close code for a message too big to process
// (RFC 6455 §7.4.1).
const closeTooBig = 1009

// closing is a Codec that sends a close frame with any code: Conn.Close
// always sends 1000, but Codec.Send writes whatever frame type Marshal
// returns, and opcode 8 is a close frame.
var closing = websocket.Codec{
	Marshal: func(v any) ([]byte, byte, error) {
		code, ok := v.(int)
		if !ok {
			return nil, websocket.UnknownFrame, websocket.ErrNotSupported
		}
		return binary.BigEndian.AppendUint16(nil, uint16(code)), websocket.CloseFrame, nil
	},
}

// drainWait is how long we wait for the peer's close after ours.
const drainWait = time.Second

// drain reads and drops what the peer still sends, the rest of the big
// frame included, until its close frame arrives or drainWait passes.
// Closing a socket with unread bytes in it makes TCP send a reset, which
// can destroy our close frame before the peer reads it.
func drain(ws *websocket.Conn) {
	_ = ws.SetReadDeadline(time.Now().Add(drainWait))
	for {
		var m message
		err := typed.Receive(ws, &m)
		if err != nil && !errors.Is(err, websocket.ErrFrameTooLarge) {
			return
		}
	}
}

// ANCHOR_END: limit

// echo sends every message back with its own type: text with "Received: "
// in front, binary as the same bytes.
func echo(ws *websocket.Conn) {
	ws.MaxPayloadBytes = maxMessageSize
	for {
		var m message
		err := typed.Receive(ws, &m)
		// ANCHOR: too-big
		if errors.Is(err, websocket.ErrFrameTooLarge) {
			// x/net skipped the frame and told the peer nothing.
			_ = closing.Send(ws, closeTooBig)
			drain(ws)
			return
		}
		// ANCHOR_END: too-big
		if errors.Is(err, io.EOF) {
			// x/net returns io.EOF for the peer's close frame and sends
			// nothing back; Close sends close 1000 (RFC 6455 §5.5.1).
			_ = ws.Close()
			return
		}
		if err != nil {
			fmt.Println("can't receive:", err)
			return
		}
		if m.kind == websocket.TextFrame {
			m.data = append([]byte("Received: "), m.data...)
		}
		if err := typed.Send(ws, m); err != nil {
			fmt.Println("can't send:", err)
			return
		}
	}
}

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

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.Handle("GET /", web.Handler())
	http.Handle("GET /ws", websocket.Server{Handshake: sameOrigin, Handler: echo})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
