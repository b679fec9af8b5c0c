// Command echo is the by-hand echo server of the chapters "The opening
// handshake" and "Frames": the same server as echo-xnet and echo-gorilla,
// on nothing but package handshake, which implements RFC 6455 in the open.
//
//	go run ./handshake/echo          # then open http://localhost:1234
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
	serve.Main("echo", run)
}

// run is the whole program but for signals, so tests can start and stop it.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg serve.Config
	if err := serve.Parse(cfg.FlagSet("echo", os.Stderr), args); err != nil {
		return err
	}
	// ANCHOR: tap
	wiretap := new(tap.Tap) // the page's frame inspector (package web/tap)
	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, Listen: wiretap.Listen}
	// ANCHOR: mux
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	// Every method reaches /ws, so that Upgrade itself answers a POST with
	// 405 Method Not Allowed and "Allow: GET" (RFC 6455 §4.2.1, item 1).
	mux.Handle("/ws", &echoHandler{origins: &cfg.Origins, tracker: srv})
	// ANCHOR_END: mux
	wiretap.Register(mux, &cfg.Origins, srv)
	srv.Handler = wiretap.Handler(mux)
	// ANCHOR_END: tap
	return srv.Run(ctx, stdout)
}
