package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ANCHOR: timeouts

// The limits of every workbook server's http.Server. net/http's zero values
// mean "no limit" for all of them but MaxHeaderBytes (1 MiB), which is
// fine on a laptop and not on a network. The numbers are those of Filippo
// Valsorda's "So you want to expose Go on the Internet" (5 s, 10 s,
// 120 s), which is still the usual advice.
const (
	// ReadHeaderTimeout drops a client that opens a connection and never
	// finishes its request headers (a half-sent handshake, "slowloris").
	// A real client sends its headers in one packet.
	ReadHeaderTimeout = 5 * time.Second

	// WriteTimeout bounds writing a plain HTTP response, from the end of
	// the request's headers: a client that stops reading cannot hold the
	// handler and its buffers longer. 10 s is also gorilla's writeWait
	// in its examples. A handler that waits on purpose (a long poll) asks
	// for more with ExtendWriteDeadline. A WebSocket is not bound by it:
	// net/http clears the connection's deadlines when it is hijacked.
	WriteTimeout = 10 * time.Second

	// IdleTimeout closes a keep-alive connection that has waited this long
	// for its next request. Without it net/http keeps an idle connection
	// (a file descriptor, 4 KiB of buffer and a goroutine) for ever.
	// A browser that finds its idle connection closed simply opens
	// another; 120 s keeps one for a page that polls or clicks now and
	// then.
	IdleTimeout = 120 * time.Second

	// MaxHeaderBytes is the most a request's line and headers may take:
	// 16 KiB, the limit of Node.js (nginx and Apache allow 8 KiB per
	// line). A WebSocket handshake takes 200 to 500 bytes and a browser's
	// requests a few KiB with cookies. A bigger request is answered with
	// 431 Request Header Fields Too Large (RFC 6585 §5). net/http reads
	// http.Server.MaxHeaderBytes plus 4096 bytes of slack before it gives
	// up, so the Server sets it to MaxHeaderBytes-4096.
	MaxHeaderBytes = 16 << 10

	// headerSlack is what net/http reads past http.Server.MaxHeaderBytes
	// (initialReadLimitSize in net/http/server.go: "bufio slop").
	headerSlack = 4096

	// ShutdownTimeout bounds a graceful shutdown: after SIGINT or SIGTERM
	// the process is gone within this time even if a peer never answers
	// our close frame.
	ShutdownTimeout = 4 * time.Second

	// GoodbyeWait bounds the write of one going-away close frame at
	// shutdown. Goodbyes are sent in parallel, so a client that has stopped
	// reading costs the others nothing; it costs itself this long at most.
	GoodbyeWait = time.Second
)

// ANCHOR_END: timeouts

// Server runs an http.Handler the way every workbook server does: it
// prints where it listens, answers only to its own host names (see Hosts),
// bounds slow, idle and oversized requests (see the constants), and on
// shutdown sends every tracked WebSocket a going-away close before it
// returns.
type Server struct {
	// Addr is the TCP address to listen on, e.g. ":1234" or "127.0.0.1:0".
	Addr string
	// Handler answers every request.
	Handler http.Handler
	// Hosts is the Host policy (-allow-host). A request whose Host is not
	// a loopback name, the host of Addr, or admitted by Hosts is refused
	// with 421. Nil admits loopback names and the host of Addr only.
	Hosts *Hosts
	// TLS, if it has a certificate (see TLS.Enabled), makes the server
	// speak https:// and wss:// instead of http:// and ws://.
	TLS *TLS
	// ReadHeaderTimeout overrides the package's ReadHeaderTimeout if set.
	ReadHeaderTimeout time.Duration
	// WriteTimeout overrides the package's WriteTimeout if set.
	WriteTimeout time.Duration
	// IdleTimeout overrides the package's IdleTimeout if set.
	IdleTimeout time.Duration
	// Listen, if set, wraps the listener, e.g. to count every byte on the
	// wire (the polling chapter does).
	Listen func(net.Listener) net.Listener
	// ConnContext, if set, is http.Server.ConnContext.
	ConnContext func(ctx context.Context, c net.Conn) context.Context

	mu      sync.Mutex
	next    int
	goodbye map[int]func() // the open connections, by id
	closing bool           // shutdown has begun
	idle    chan struct{}  // closed once closing and no connection is left
}

// Track registers an open WebSocket connection. goingAway is called once,
// from another goroutine, when the server shuts down (at once if shutdown
// has already begun): it must send a close frame with code 1001 and must be
// safe to call while the handler reads and writes. Call the returned func
// when the handler is done with the connection; shutdown waits for that.
// A nil goingAway tracks work that needs no goodbye, only waiting for.
func (s *Server) Track(goingAway func()) (done func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	id := s.next
	s.next++
	s.goodbye[id] = goingAway
	if s.closing && goingAway != nil {
		go goingAway()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			delete(s.goodbye, id)
			s.closeIdleIfDone()
		})
	}
}

// initLocked makes the connection table, once. s.mu must be held.
func (s *Server) initLocked() {
	if s.goodbye == nil {
		s.goodbye = make(map[int]func())
		s.idle = make(chan struct{})
	}
}

// closeIdleIfDone closes s.idle when shutdown has begun and the last
// connection is gone. s.mu must be held.
func (s *Server) closeIdleIfDone() {
	if s.closing && len(s.goodbye) == 0 {
		select {
		case <-s.idle:
		default:
			close(s.idle)
		}
	}
}

// ANCHOR: run

// Run listens on s.Addr, writes "listening on http://HOST:PORT" to stdout
// once connections can be accepted (https:// with TLS, after a few lines
// "tls: ..." that give the certificate's fingerprints), and serves until
// ctx is cancelled. Then it stops accepting, says goodbye to every tracked
// connection, waits up to ShutdownTimeout for their handlers to finish, and
// returns nil.
func (s *Server) Run(ctx context.Context, stdout io.Writer) error {
	s.mu.Lock()
	s.initLocked()
	idle := s.idle
	s.mu.Unlock()

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	addr := ln.Addr()
	if s.TLS.Enabled() {
		ln = tlsListen(ln, s.TLS.Config())
	}
	if s.Listen != nil {
		ln = s.Listen(ln)
	}
	// Every request's context ends when shutdown begins, so a handler that
	// waits (a long poll) answers at once instead of holding the exit up.
	base, endRequests := context.WithCancel(context.Background())
	defer endRequests()
	srv := &http.Server{
		Handler:           s.inFlight(s.Handler),
		ReadHeaderTimeout: cmp.Or(s.ReadHeaderTimeout, ReadHeaderTimeout),
		WriteTimeout:      cmp.Or(s.WriteTimeout, WriteTimeout),
		IdleTimeout:       cmp.Or(s.IdleTimeout, IdleTimeout),
		MaxHeaderBytes:    MaxHeaderBytes - headerSlack,
		BaseContext:       func(net.Listener) context.Context { return base },
		ConnContext:       s.ConnContext,
	}
	// Shutdown closes the listeners, then calls this, then waits for the
	// requests in flight. WebSocket connections were hijacked, so net/http
	// no longer knows them: we say goodbye to each ourselves.
	srv.RegisterOnShutdown(func() { endRequests(); s.sayGoodbye() })
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if s.TLS.Enabled() {
		s.TLS.Describe(stdout)
	}
	fmt.Fprintf(stdout, "listening on %s\n", s.url(addr))

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}

	deadline, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	shutdownErr := srv.Shutdown(deadline)
	select {
	case <-idle:
	case <-deadline.Done():
	}
	if errors.Is(shutdownErr, context.DeadlineExceeded) {
		return nil
	}
	return shutdownErr
}

// ANCHOR_END: run

// inFlight refuses a request for a host this server does not answer to
// (checkHost), and counts every other request as in flight until its
// handler returns, so that shutdown waits for it. This closes a gap: a
// WebSocket handler has hijacked its connection (net/http forgets it) but
// has not yet called Track. When it does, shutdown has begun, and Track
// says goodbye at once.
func (s *Server) inFlight(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.checkHost(w, r) {
			return
		}
		done := s.Track(nil)
		defer done()
		h.ServeHTTP(w, r)
	})
}

// ANCHOR: goodbye

// sayGoodbye marks the server as closing and calls every goingAway func,
// each in a goroutine of its own, and waits for them all. In parallel,
// because a goodbye may block: a client that has stopped reading leaves
// its writer stuck, and the goodbye waits (up to GoodbyeWait) behind it.
// One after another, one such client kept the goodbye from most others.
func (s *Server) sayGoodbye() {
	s.mu.Lock()
	s.initLocked()
	s.closing = true
	calls := make([]func(), 0, len(s.goodbye))
	for _, f := range s.goodbye {
		if f != nil {
			calls = append(calls, f)
		}
	}
	s.closeIdleIfDone()
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, f := range calls {
		wg.Go(f)
	}
	wg.Wait()
}

// ANCHOR_END: goodbye

// url is the URL Run prints: URL(addr), but with the name localhost kept
// when Addr asked for it, since that is the name a browser should use.
// With TLS the scheme is https://.
func (s *Server) url(addr net.Addr) string {
	u := URL(addr)
	if addrHost(s.Addr) == "localhost" {
		if _, port, err := net.SplitHostPort(addr.String()); err == nil {
			u = "http://" + net.JoinHostPort("localhost", port)
		}
	}
	if s.TLS.Enabled() {
		u = "https://" + strings.TrimPrefix(u, "http://")
	}
	return u
}

// URL returns the http:// URL a person can open for a listener address. An
// unspecified host (":1234", "[::]:1234") becomes localhost.
func URL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
