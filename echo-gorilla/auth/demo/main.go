// Command demo runs the endpoints of the section "Authenticating the
// handshake" (chapter "What Go developers trip on") on localhost:1234:
//
//	go run ./echo-gorilla/auth/demo
//
// POST /login?user=NAME, POST /ticket, GET /ws/cookie, GET /ws/ticket and
// GET /ws/protocol; see package auth.
package main

import (
	"github.com/websocket-in-go/workbook/echo-gorilla/auth"
	"github.com/websocket-in-go/workbook/web/serve"
)

func main() {
	serve.Main("auth", auth.Run)
}
