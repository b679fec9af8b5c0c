package main

import (
	"net/http"

	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/serve"
)

// prefix goes in front of every text message we echo, as in the original.
var prefix = []byte("Received: ")

// echoHandler upgrades /ws by hand and echoes every message.
type echoHandler struct {
	origins *serve.Origins
	tracker *serve.Server
}

// ANCHOR: serve

// ServeHTTP runs the handshake, then the echo loop. Every rule of the
// protocol (fragments, pings, close codes, UTF-8, the 1 MiB limit) is
// enforced inside ReadMessage; this loop only sees whole messages.
func (h *echoHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := handshake.Upgrade(w, r, &handshake.Options{AllowOrigin: h.origins.Allow})
	if err != nil {
		return // Upgrade has answered: 400, 403, 405 or 426
	}
	defer conn.Close()
	done := h.tracker.Track(func() { conn.CloseWith(handshake.CloseGoingAway, "server shutting down") })
	defer done()

	for {
		op, msg, err := conn.ReadMessage()
		if err != nil {
			return // closed by the peer, or failed with a close code
		}
		if op == handshake.OpText {
			err = conn.WriteMessage(op, prefix, msg)
		} else {
			err = conn.WriteMessage(op, msg)
		}
		if err != nil {
			return
		}
	}
}

// ANCHOR_END: serve
