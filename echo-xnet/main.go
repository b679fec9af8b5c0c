// Command echo-xnet is the echo server of the chapter "Echo on x/net": the
// original chapter's server on golang.org/x/net/websocket, the package's
// current home (code.google.com/p/go.net is long gone).
//
//	go run ./echo-xnet               # then open http://localhost:1234
//
// GET / serves the shared browser client (package web); GET /ws echoes. A
// text message M comes back as the text message "Received: M"; a binary
// message comes back as the same bytes, still binary. GET /echo echoes
// every message exactly, for test suites such as Autobahn. The page's
// frame inspector (POST /inspect/new, GET /inspect) shows its frames and
// its handshake, from a tap on the listener (package web/tap).
package main

import (
	"context"
	"io"
	"net/http"
	"os"

	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/tap"
)

func main() {
	serve.Main("echo-xnet", run)
}

// run is the whole program but for signals, so tests can start and stop it.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg serve.Config
	fs := cfg.FlagSet("echo-xnet", os.Stderr)
	maxMessage := fs.Int("max-message", maxMessageSize, "the largest frame to read, in bytes (a bigger one is refused with close 1009)")
	if err := serve.Parse(fs, args); err != nil {
		return err
	}
	wiretap := new(tap.Tap) // the page's frame inspector (package web/tap)
	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS, Listen: wiretap.Listen}
	// ANCHOR: mux
	mux := http.NewServeMux()
	mux.Handle("GET /", web.Handler())
	ws := newEchoServer(&cfg.Origins, srv)
	ws.maxMessage = *maxMessage
	mux.Handle("GET /ws", ws)
	mux.Handle("GET /echo", &echoServer{origins: &cfg.Origins, tracker: srv,
		maxMessage: *maxMessage})
	// ANCHOR_END: mux
	wiretap.Register(mux, &cfg.Origins, srv)
	srv.Handler = wiretap.Handler(mux)
	return srv.Run(ctx, stdout)
}
