// Package wire counts the bytes that really cross the network, per
// transport, for the chapter "Before WebSocket: short polling and long
// polling". Every byte a connection reads or writes is charged to the
// request it belongs to, and so to that request's transport (short poll,
// long poll, Server-Sent Events, WebSocket, or other), headers and all.
//
// A browser reuses one keep-alive connection for many requests, perhaps a
// publish, then a poll, then a stats fetch, so a connection is not charged
// once by its first request: bytes are charged as they move. Bytes read
// while no handler runs are the next request's line and headers; they wait
// until that request's path says where they go. Bytes read or written while
// a handler runs, and the response flushed just after it, belong to the
// current request. A hijacked WebSocket stays with its handshake's
// transport to the end.
package wire

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// Transport names a way of delivering events, as used in Stats.
type Transport string

// The transports. Other is everything else: the page, publishes, stats.
const (
	Poll     Transport = "poll"
	LongPoll Transport = "longpoll"
	SSE      Transport = "sse"
	WS       Transport = "ws"
	Other    Transport = "other"
)

// Transports lists the transports in the order a table shows them.
var Transports = []Transport{Poll, LongPoll, SSE, WS, Other}

// Totals is what one transport has cost so far.
type Totals struct {
	// Requests counts HTTP requests (for WS: handshakes).
	Requests int64 `json:"requests"`
	// BytesIn counts bytes from clients to the server, headers included.
	BytesIn int64 `json:"bytes_in"`
	// BytesOut counts bytes from the server to clients, headers included.
	BytesOut int64 `json:"bytes_out"`
}

// Bytes is BytesIn + BytesOut.
func (t Totals) Bytes() int64 { return t.BytesIn + t.BytesOut }

type counters struct{ requests, in, out atomic.Int64 }

// Meter holds the counts of every transport. The zero value is not ready:
// use NewMeter.
type Meter struct {
	// Classify names the transport of a request; by default the path
	// decides: /poll, /longpoll, /sse, /ws, or Other.
	Classify func(r *http.Request) Transport
	by       map[Transport]*counters
}

// NewMeter returns a Meter with every count at zero.
func NewMeter() *Meter {
	m := &Meter{Classify: ByPath, by: make(map[Transport]*counters)}
	for _, t := range Transports {
		m.by[t] = new(counters)
	}
	return m
}

// ByPath is the default classifier: the request path names the transport.
func ByPath(r *http.Request) Transport {
	switch r.URL.Path {
	case "/poll":
		return Poll
	case "/longpoll":
		return LongPoll
	case "/sse":
		return SSE
	case "/ws":
		return WS
	}
	return Other
}

// Snapshot returns the totals of every transport.
func (m *Meter) Snapshot() map[Transport]Totals {
	out := make(map[Transport]Totals, len(m.by))
	for t, c := range m.by {
		out[t] = Totals{Requests: c.requests.Load(), BytesIn: c.in.Load(), BytesOut: c.out.Load()}
	}
	return out
}

// ServeHTTP answers GET /stats: the snapshot as JSON.
func (m *Meter) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(m.Snapshot())
}

// ANCHOR: listener
// Listen wraps ln so that every accepted connection is counted by m. Give
// the server ConnContext and wrap its handler with Handler, so that each
// request can tell its connection where its bytes go.
func (m *Meter) Listen(ln net.Listener) net.Listener {
	return &listener{Listener: ln,
		m: m}
}

type listener struct {
	net.Listener
	m *Meter
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &Conn{Conn: c, m: l.m, to: l.m.by[Other]}, nil
}

// Conn is a counted connection.
type Conn struct {
	net.Conn
	m *Meter

	mu        sync.Mutex
	to        *counters // the transport of the current request
	inHandler bool      // a handler is running for the current request
	pending   int64     // bytes read before the next request's path is known
}

// Read counts what the peer sent.
func (c *Conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	if c.inHandler {
		c.to.in.Add(int64(n))
	} else {
		c.pending += int64(n)
	}
	c.mu.Unlock()
	return n, err
}

// Write counts what we sent.
func (c *Conn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	c.to.out.Add(int64(n))
	c.mu.Unlock()
	return n, err
}

// Close charges any bytes still pending (a request that never reached a
// handler, such as a malformed one) to Other.
func (c *Conn) Close() error {
	c.mu.Lock()
	c.m.by[Other].in.Add(c.pending)
	c.pending = 0
	c.mu.Unlock()
	return c.Conn.Close()
}

// ANCHOR_END: listener

// ANCHOR: handler
// begin charges the pending request bytes to t and makes t the current
// transport; end marks the handler finished.
func (c *Conn) begin(t *counters) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.to, c.inHandler = t, true
	t.in.Add(c.pending)
	t.requests.Add(1)
	c.pending = 0
}

func (c *Conn) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inHandler = false
}

type connKey struct{}

// ConnContext is for http.Server.ConnContext: it lets Handler find the
// counted connection of each request.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*Conn); ok {
		return context.WithValue(ctx, connKey{}, cc)
	}
	return ctx
}

// Handler wraps next so that each request's bytes are charged to its
// transport. Requests on connections that Listen did not wrap pass through
// uncounted.
func (m *Meter) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := r.Context().Value(connKey{}).(*Conn)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		c.begin(m.by[m.Classify(r)])
		defer c.end()
		next.ServeHTTP(w, r)
	})
}

// ANCHOR_END: handler
