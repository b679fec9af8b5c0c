// Command 4-close is step 4 of the chapter "Echo on x/net". Steps 1 to 3
// answered a client's close frame by dropping the TCP connection: x/net's
// Receive returns io.EOF for a close frame and sends no close back, and
// when the handler returns, x/net closes the socket without one, so the
// client sees 1006 (abnormal closure). RFC 6455 §5.5.1 says the server
// must answer with a close frame; this step does.
//
//	go run ./echo-xnet/steps/4-close   # then open http://localhost:1234
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"

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

// echo sends every message back with its own type: text with "Received: "
// in front, binary as the same bytes.
func echo(ws *websocket.Conn) {
	for {
		var m message
		err := typed.Receive(ws, &m)
		// ANCHOR: close
		if errors.Is(err, io.EOF) {
			// x/net returns io.EOF for the peer's close frame and sends
			// nothing back; Close sends close 1000 (RFC 6455 §5.5.1).
			_ = ws.Close()
			return
		}
		// ANCHOR_END: close
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
