// Command echo-xnet is the echo server of the chapter "Echo on x/net": the
// original chapter's server on golang.org/x/net/websocket, the package's
// current home (code.google.com/p/go.net is long gone).
//
//	go run ./echo-xnet               # then open http://localhost:1234
//
// GET / serves the shared browser client (package web); GET /ws echoes. A
// text message M comes back as the text message "Received: M"; a binary
// message comes back as the same bytes, still binary. GET /echo echoes
// every message exactly, for test suites such as Autobahn.
package main

import (
	"context"
	"io"
	"net/http"
	"os"

	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/serve"
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
	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts}
	// ANCHOR: mux
	mux := http.NewServeMux()
	mux.Handle("GET /", web.Handler())
	ws := newEchoServer(&cfg.Origins, srv)
	ws.maxMessage = *maxMessage
	mux.Handle("GET /ws", ws)
	mux.Handle("GET /echo", &echoServer{origins: &cfg.Origins, tracker: srv, maxMessage: *maxMessage})
	// ANCHOR_END: mux
	srv.Handler = mux
	return srv.Run(ctx, stdout)
}
