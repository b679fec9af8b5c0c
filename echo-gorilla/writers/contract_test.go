package writers

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	xws "golang.org/x/net/websocket"
)

// ANCHOR: contracts

// writeContracts are the three libraries' rules for writers, each as a
// server that writes from two goroutines at once in the way the library
// allows. gorilla: "Connections support one concurrent reader and one
// concurrent writer", so its two goroutines share a lockedConn. x/net:
// "Multiple goroutines may invoke methods on a Conn simultaneously" (a
// mutex inside every Write). By hand: WriteMessage is "safe to call from
// several goroutines" (a one-slot channel inside writeFrame).
var writeContracts = map[string]func(write2 func(write func([]byte) error)) http.Handler{
	"gorilla, behind a mutex": func(write2 func(func([]byte) error)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ws, err := upgrader.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer ws.Close()
			conn := &lockedConn{conn: ws}
			write2(func(p []byte) error {
				return conn.WriteMessage(websocket.TextMessage,
					p)
			})
		})
	},
	"x/net, as it is": func(write2 func(func([]byte) error)) http.Handler {
		return xws.Server{Handler: func(ws *xws.Conn) {
			ws.SetWriteDeadline(time.Now().Add(writeWait))
			write2(func(p []byte) error { return xws.Message.Send(ws, string(p)) })
		}}
	},
	"by hand, as it is": func(write2 func(func([]byte) error)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := handshake.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer conn.Close()
			conn.SetWriteDeadline(time.Now().Add(writeWait))
			write2(func(p []byte) error { return conn.WriteMessage(handshake.OpText, p) })
		})
	},
}

// ANCHOR_END: contracts

// TestEachLibrarysWriteContract: two goroutines, each writing load
// messages on one connection, on each library as its contract allows. The
// client must get every message whole, each goroutine's in order.
func TestEachLibrarysWriteContract(t *testing.T) {
	for name, server := range writeContracts {
		t.Run(name, func(t *testing.T) {
			twoWriters := func(write func([]byte) error) {
				var wg sync.WaitGroup
				for _, stream := range []string{"aaaa", "bbbb"} {
					wg.Go(func() {
						for i := range load {
							if write(payload(stream, i)) != nil {
								return
							}
						}
					})
				}
				wg.Wait()
			}
			wsURL, returned := serveWS(t, server(twoWriters))
			c := dial(t, wsURL)
			next := map[string]int{}
			c.SetReadDeadline(time.Now().Add(testBound))
			for next["aaaa"]+next["bbbb"] < 2*load {
				_, msg, err := c.ReadMessage()
				require.NoError(t, err, "after %v", next)
				stream, _, _ := strings.Cut(string(msg[:9]), "-")
				require.Equal(t, string(payload(stream, next[stream])), string(msg), "a torn or lost message")
				next[stream]++
			}
			c.Close()
			within(t, testBound, returned, "the handler returns")
		})
	}
}
