// Command echo is the by-hand echo server of the chapters "The opening
// handshake" and "Frames": the same server as echo-xnet and echo-gorilla,
// on nothing but package handshake, which implements RFC 6455 in the open.
//
//	go run ./handshake/echo          # then open http://localhost:1234
//
// GET / serves the shared browser client (package web); GET /ws echoes. A
// text message M comes back as the text message "Received: M"; a binary
// message comes back as the same bytes, still binary. GET /echo echoes
// every message unchanged, text as text and binary as binary: the endpoint
// the Autobahn TestSuite expects. Both negotiate permessage-deflate. The
// page's frame inspector (POST /inspect/new, GET /inspect) shows its frames
// and its handshake, from a tap on the listener (package web/tap).
//
//	go run ./handshake/echo -max-message 16777216   # Autobahn's 9.x cases send 16 MiB
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/websocket-in-go/workbook/handshake"
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
	fs := cfg.FlagSet("echo", os.Stderr)
	maxMessage := fs.Int("max-message", handshake.DefaultMaxMessageSize, "largest message in bytes, inflated size if compressed;\n"+
		"a bigger one is closed with 1009")
	if err := serve.Parse(fs, args); err != nil {
		return err
	}
	if *maxMessage <= 0 {
		fmt.Fprintf(os.Stderr, "-max-message must be positive, not %d\n", *maxMessage)
		return &serve.UsageError{Err: fmt.Errorf("-max-message must be positive, not %d", *maxMessage)}
	}
	// ANCHOR: tap
	wiretap := new(tap.Tap) // the page's frame inspector (package web/tap)
	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS,
		Listen: wiretap.Listen}
	// ANCHOR: mux
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	// Every method reaches /ws, so that Upgrade itself answers a POST with
	// 405 Method Not Allowed and "Allow: GET" (RFC 6455 §4.2.1, item 1).
	mux.Handle("/ws", &echoHandler{origins: &cfg.Origins, tracker: srv,
		maxSize: *maxMessage})
	mux.Handle("/echo", &echoHandler{origins: &cfg.Origins, tracker: srv,
		maxSize: *maxMessage, exact: true})
	// ANCHOR_END: mux
	wiretap.Register(mux, &cfg.Origins, srv)
	srv.Handler = wiretap.Handler(mux)
	// ANCHOR_END: tap
	return srv.Run(ctx, stdout)
}
