// Command nbio is the workbook's echo server on github.com/lesismal/nbio
// v1.6.8 (chapter "Which library should I pick?"), on the contract of
// package contract: nbhttp's engine reads every connection from epoll, so
// an idle connection holds no goroutine, and websocket.Upgrader calls
// OnMessage with each whole message.
//
//	go run ./nbio -addr 127.0.0.1:0
//	go run ./nbio -addr 127.0.0.1:0 -inline   # OnMessage on the poller goroutine
//
// By default nbhttp hands every message to a pool of goroutines, so that a
// slow handler cannot stall the other connections of its poller. -inline
// runs OnMessage on the poller goroutine itself, which suits a handler
// that never blocks, such as this echo: the measurement shows what the
// hand-over costs.
package main

import (
	"net"
	"net/http"
	"os"
	"time"

	"github.com/lesismal/nbio/logging"
	"github.com/lesismal/nbio/nbhttp"
	"github.com/lesismal/nbio/nbhttp/websocket"
	"github.com/websocket-in-go/workbook/handshake/perf/peers/contract"
)

func main() {
	logging.SetLevel(logging.LevelNone) // its INFO lines would go to stdout
	fs, addr := contract.Flags("nbio")
	inline := fs.Bool("inline", false, "run OnMessage on the poller goroutine instead of nbio's goroutine pool")
	_ = fs.Parse(os.Args[1:])

	mux := http.NewServeMux()
	mux.Handle(contract.PathContract, echo(contract.PathContract))
	mux.Handle(contract.PathExact, echo(contract.PathExact))
	conf := nbhttp.Config{
		Network: "tcp",
		Addrs:   []string{*addr},
		// contract.Listen prints the address the engine really got.
		Listen:                  func(network, addr string) (net.Listener, error) { return contract.Listen(addr) },
		Handler:                 mux,
		MaxLoad:                 1 << 20, // its default, 10,000, would refuse the 10,000th idle connection
		ReleaseWebsocketPayload: true,    // the payload's buffer goes back to nbio's pool after OnMessage
	}
	if *inline {
		conf.ServerExecutor = func(f func()) { f() }
	}
	engine := nbhttp.NewEngine(conf)
	if err := engine.Start(); err != nil {
		contract.Fatal("nbio", err)
	}
	<-contract.Stopped()
	engine.Stop()
}

// echo upgrades requests on path and answers every message by the contract.
func echo(path string) http.Handler {
	u := websocket.NewUpgrader()
	u.MessageLengthLimit = contract.MaxMessage
	u.OnMessage(func(c *websocket.Conn, typ websocket.MessageType, data []byte) {
		// WriteMessage copies what the socket does not take at once, so
		// data may go back to the pool when OnMessage returns.
		if err := c.WriteMessage(typ, contract.Reply(path, typ == websocket.TextMessage, data)); err != nil {
			_ = c.Close()
		}
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := u.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered the request
		}
		// nbio closes a connection silent for KeepaliveTime (120 s) unless
		// told otherwise; the other servers keep idle connections open.
		_ = c.SetReadDeadline(time.Time{})
	})
}
