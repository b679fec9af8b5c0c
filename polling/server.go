package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/websocket-in-go/workbook/polling/events"
	"github.com/websocket-in-go/workbook/polling/wire"
	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/serve"
)

// server is serve.Server with one difference: it owns its listener, so
// that it can count the bytes of every connection (package wire).
// serve.Server opens its own listener and offers no hook to wrap it.
type server struct {
	addr    string
	handler http.Handler
	meter   *wire.Meter

	mu      sync.Mutex
	closing bool
	open    map[*func()]struct{} // goingAway of each open WebSocket
	idle    chan struct{}        // closed once closing and none is open
}

// ANCHOR: mux
func newServer(cfg serve.Config, log *events.Log, timeout time.Duration) *server {
	s := &server{addr: cfg.Addr, meter: wire.NewMeter(), open: make(map[*func()]struct{}), idle: make(chan struct{})}
	h := &events.Handlers{Log: log, Origins: &cfg.Origins, LongPollTimeout: timeout, Track: s.track}
	mux := http.NewServeMux()
	h.Register(mux)
	mux.Handle("GET /stats", statsHandler(s.meter, log))
	mux.Handle("GET /web/", http.StripPrefix("/web", web.Handler())) // the shared style sheet
	mux.Handle("GET /", pageHandler())
	s.handler = s.meter.Handler(mux)
	return s
}

// ANCHOR_END: mux

// track registers an open WebSocket; see events.Handlers.Track.
func (s *server) track(goingAway func()) (done func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := &goingAway
	s.open[key] = struct{}{}
	if s.closing {
		go goingAway()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.open, key)
			s.closeIdleIfDone()
			s.mu.Unlock()
		})
	}
}

// goodbye marks the server closing and sends every WebSocket close 1001.
func (s *server) goodbye() {
	s.mu.Lock()
	s.closing = true
	calls := make([]func(), 0, len(s.open))
	for f := range s.open {
		calls = append(calls, *f)
	}
	s.closeIdleIfDone()
	s.mu.Unlock()
	for _, f := range calls {
		f()
	}
}

// closeIdleIfDone closes s.idle once closing and no WebSocket is left.
// s.mu must be held.
func (s *server) closeIdleIfDone() {
	if s.closing && len(s.open) == 0 {
		select {
		case <-s.idle:
		default:
			close(s.idle)
		}
	}
}

// Run listens, prints "listening on http://HOST:PORT", and serves until ctx
// is done. Then it ends every long poll (they answer []), says goodbye to
// every WebSocket, and waits at most serve.ShutdownTimeout.
func (s *server) Run(ctx context.Context, stdout io.Writer) error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	base, endRequests := context.WithCancel(context.Background())
	defer endRequests()
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: serve.ReadHeaderTimeout,
		ConnContext:       wire.ConnContext,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	srv.RegisterOnShutdown(func() { endRequests(); s.goodbye() })
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.meter.Listen(ln)) }()
	fmt.Fprintf(stdout, "listening on %s\n", serve.URL(ln.Addr()))

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	deadline, cancel := context.WithTimeout(context.Background(), serve.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(deadline)
	select {
	case <-s.idle:
	case <-deadline.Done():
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return err
}

// statsHandler answers GET /stats: what each transport has cost so far, and
// the newest event's id ("last"), where a new page starts its cursors.
func statsHandler(m *wire.Meter, log *events.Log) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		out := map[string]any{"last": log.Last()}
		for t, totals := range m.Snapshot() {
			out[string(t)] = totals
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(out)
	})
}
