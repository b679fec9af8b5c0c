package main

import (
	"errors"
	"net/http"

	"github.com/websocket-in-go/workbook/web/serve"
	"golang.org/x/net/websocket"
)

// errCrossOrigin makes websocket.Server answer 403 Forbidden.
var errCrossOrigin = errors.New("cross-origin WebSocket request refused")

// ANCHOR: server

// newEchoServer returns the /ws handler. It is a websocket.Server, not a
// websocket.Handler: Handler runs its own origin check, which refuses every
// client that sends no Origin header (curl, Go, Python) and accepts an
// Origin from any site at all. A Server with our own Handshake func applies
// the workbook's policy instead. When Handshake returns an error, x/net
// answers 403 Forbidden and never calls the handler.
func newEchoServer(origins *serve.Origins, tracker *serve.Server) websocket.Server {
	return websocket.Server{
		Handshake: func(_ *websocket.Config, r *http.Request) error {
			if !origins.Allow(r) {
				return errCrossOrigin
			}
			return nil
		},
		Handler: func(ws *websocket.Conn) { echo(ws, tracker) },
	}
}

// ANCHOR_END: server
