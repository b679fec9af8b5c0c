// Command echo-xnet is the echo server of the chapter "Echo on x/net": the
// original chapter's server on golang.org/x/net/websocket, the package's
// current home (code.google.com/p/go.net is long gone).
//
//	go run ./echo-xnet               # then open http://localhost:1234
//
// GET / serves the shared browser client (package web); GET /ws echoes. A
// text message M comes back as the text message "Received: M"; a binary
// message comes back as the same bytes, still binary. The page's frame
// inspector (POST /inspect/new, GET /inspect) shows its frames and its
// handshake, from a tap on the listener (package web/tap).
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
	if err := serve.Parse(cfg.FlagSet("echo-xnet", os.Stderr), args); err != nil {
		return err
	}
	wiretap := new(tap.Tap) // the page's frame inspector (package web/tap)
	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, Listen: wiretap.Listen}
	// ANCHOR: mux
	mux := http.NewServeMux()
	mux.Handle("GET /", web.Handler())
	mux.Handle("GET /ws", newEchoServer(&cfg.Origins, srv))
	// ANCHOR_END: mux
	wiretap.Register(mux, &cfg.Origins, srv)
	srv.Handler = wiretap.Handler(mux)
	return srv.Run(ctx, stdout)
}
