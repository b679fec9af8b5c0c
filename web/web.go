// Package web is the one browser client that every server in the workbook
// serves: the chapter "The shared browser client".
//
// The page is the original chapter's echo test, brought up to date: it
// connects to ws:// (or wss://) + location.host + "/ws", or to the URL in a
// ?ws= query parameter, and writes all four WebSocket events (open, message,
// error, close) into a visible log. Below the log, a frame inspector shows
// every frame of the page's own connection, and its handshake, as the
// server's wire tap saw them (package web/tap). The files are embedded in
// the binary, so `go run` needs nothing beside the source.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// Files holds the page: index.html, client.js, inspector.js (the frame
// inspector, fed by package web/tap) and style.css.
var Files, _ = fs.Sub(static, "static")

// ANCHOR: handler

// Handler serves the page at "/" and its script and style sheet beside it.
// Mount it at "/" next to the WebSocket endpoint at "/ws":
//
//	mux.Handle("/", web.Handler())
//	mux.Handle("/ws", echo)
func Handler() http.Handler {
	return http.FileServerFS(Files)
}

// ANCHOR_END: handler
