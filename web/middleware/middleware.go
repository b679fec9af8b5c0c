package middleware

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
)

// ANCHOR: naive

// Naive logs one line per request: method, path and status. Its wrapper
// embeds the http.ResponseWriter interface, so only Header, Write and
// WriteHeader come through: the Hijacker, Flusher and every other method
// of the writer underneath are hidden.
func Naive(log io.Writer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &naiveRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		fmt.Fprintf(log, "%s %s %d\n", r.Method, r.URL.Path, rec.status)
	})
}

// naiveRecorder remembers the status a handler wrote.
type naiveRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and passes it on.
func (rec *naiveRecorder) WriteHeader(status int) {
	rec.status = status
	rec.ResponseWriter.WriteHeader(status)
}

// ANCHOR_END: naive

// ANCHOR: unwrapping

// Unwrapping is Naive with an Unwrap method on its wrapper: the convention
// of Go 1.20 that http.ResponseController follows to reach the writer
// underneath, and through it Hijack, Flush and the deadlines.
func Unwrapping(log io.Writer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &unwrappingRecorder{naiveRecorder{ResponseWriter: w,
			status: http.StatusOK}}
		next.ServeHTTP(rec, r)
		fmt.Fprintf(log, "%s %s %d\n", r.Method, r.URL.Path, rec.status)
	})
}

// unwrappingRecorder is a naiveRecorder that can be unwrapped.
type unwrappingRecorder struct{ naiveRecorder }

// Unwrap returns the writer underneath, for http.ResponseController.
func (rec *unwrappingRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// ANCHOR_END: unwrapping

// ANCHOR: logging

// Logging is the access log done right: its wrapper has Unwrap, for
// http.ResponseController, and Hijack, for code that type-asserts
// http.Hijacker. Hijack goes through a ResponseController too, so it still
// works when the writer underneath is itself a wrapper that only unwraps.
// A hijacked request is logged with status 101: the handler writes the
// Switching Protocols answer to the connection itself, past the wrapper.
func Logging(log io.Writer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{unwrappingRecorder{naiveRecorder{ResponseWriter: w,
			status: http.StatusOK}}}
		next.ServeHTTP(rec, r)
		fmt.Fprintf(log, "%s %s %d\n", r.Method, r.URL.Path, rec.status)
	})
}

// recorder is an unwrappingRecorder that also hijacks.
type recorder struct{ unwrappingRecorder }

// Hijack takes over the connection from the writer underneath.
func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(rec.ResponseWriter).Hijack()
	if err == nil {
		rec.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

// ANCHOR_END: logging

// Variant is one way of writing the middleware, by name, for tests that
// try each on every server.
type Variant struct {
	Name string
	Wrap func(log io.Writer, next http.Handler) http.Handler
}

// Variants are the three middlewares, broken first.
var Variants = []Variant{
	{"naive", Naive},
	{"unwrap only", Unwrapping},
	{"unwrap and hijack", Logging},
}
