package main

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/websocket-in-go/workbook/web"
)

//go:embed static
var static embed.FS

// pageHandler serves the chat page (static/index.html and chat.js) and,
// beside it, the shared page's style sheet, so both look the same.
func pageHandler() http.Handler {
	page, _ := fs.Sub(static, "static")
	files := http.FileServerFS(page)
	shared := http.FileServerFS(web.Files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/style.css" {
			shared.ServeHTTP(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
