package main

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// pageHandler serves the lab's page (index.html, lab.js, lab.css).
func pageHandler() http.Handler {
	files, _ := fs.Sub(static, "static")
	return http.FileServerFS(files)
}
