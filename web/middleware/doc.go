// Package middleware is the section "Middleware that hides the hijacker"
// of the chapter "What Go developers trip on". It holds one access-log
// middleware written three ways, to show why a wrapper around
// http.ResponseWriter breaks the WebSocket upgrade and what fixes it
// ("response does not implement http.Hijacker": gin-gonic/gin#104,
// go-chi/chi#131, nytimes/gziphandler#26).
//
// Naive embeds the http.ResponseWriter interface, so its wrapper has the
// three methods of that interface and nothing else: no Hijack. Unwrapping
// adds Unwrap, which http.ResponseController (Go 1.20) follows to the
// writer underneath; that is enough for code that hijacks through a
// ResponseController, and not for the libraries that still ask
// w.(http.Hijacker), as gorilla/websocket v1.5.3 and the by-hand Upgrade
// do. Logging, the fix, has both: Unwrap, and a Hijack that goes through
// http.NewResponseController, as chi's and httpsnoop's wrappers do.
package middleware
