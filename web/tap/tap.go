package tap

import (
	"cmp"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/websocket-in-go/workbook/web/serve"
)

// Tap watches the connections of one server. The zero value is ready to
// use; wire it in three places:
//
//	wiretap := new(tap.Tap)
//	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, Listen: wiretap.Listen}
//	wiretap.Register(mux, &cfg.Origins, srv) // POST /inspect/new and GET /inspect
//	srv.Handler = wiretap.Handler(mux)       // binds ?inspect=TOKEN to its connection
type Tap struct {
	// TokenTTL overrides the package's TokenTTL if set.
	TokenTTL time.Duration
	// WriteWait bounds each write to an inspector; an inspector that does
	// not read for this long is closed. Zero means serve.WriteTimeout.
	WriteWait time.Duration

	mu       sync.Mutex
	conns    map[string]*Conn // the open connections, by local and remote address
	sessions sessions
}

func (t *Tap) ttl() time.Duration       { return cmp.Or(t.TokenTTL, TokenTTL) }
func (t *Tap) writeWait() time.Duration { return cmp.Or(t.WriteWait, serve.WriteTimeout) }

// ANCHOR: listen

// Listen wraps ln so that every connection it accepts is a *Conn: a
// net.Conn that sees every byte in both directions. Give it to
// serve.Server's Listen hook; it composes with other wrappers (the
// polling lab's byte meter wraps it in turn).
func (t *Tap) Listen(ln net.Listener) net.Listener {
	return &listener{Listener: ln,
		t: t}
}

type listener struct {
	net.Listener
	t *Tap
}

// Accept wraps and registers the next connection.
func (l *listener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c := &Conn{Conn: nc, t: l.t, key: connKey(nc.LocalAddr().String(),
		nc.RemoteAddr().String())}
	l.t.mu.Lock()
	if l.t.conns == nil {
		l.t.conns = make(map[string]*Conn)
	}
	l.t.conns[c.key] = c
	l.t.mu.Unlock()
	return c, nil
}

// ANCHOR_END: listen

// connKey names a TCP connection: no two open ones share both addresses.
func connKey(local, remote string) string { return local + " " + remote }

// The states of a Conn.
const (
	stateHTTP  int32 = iota // speaking HTTP: keep the bytes read, for the next request's head
	statePass               // not watched, and never again: pass the bytes through
	stateWatch              // watched: parse every byte
)

// ANCHOR: conn

// Conn is a tapped connection. Until its first request reaches a handler,
// it keeps the bytes it reads (at most maxKept), so that the request's
// head can be shown exactly as it came. Then it either passes every byte
// through untouched, which costs one atomic load per Read and Write (an
// unwatched WebSocket leaves it altogether: see Handler), or, for the one
// connection that asked with a live token, parses both directions and
// reports to its session.
type Conn struct {
	net.Conn
	t     *Tap
	key   string
	state atomic.Int32

	mu     sync.Mutex
	kept   []byte   // stateHTTP: the last bytes read
	sess   *session // stateWatch: where the records go
	wsKey  string   // stateWatch: the request's Sec-WebSocket-Key
	req    []byte   // stateWatch: the request's head, until the response's
	resp   []byte   // stateWatch: the response's head so far
	early  []byte   // stateWatch: bytes read before the response was out
	framed bool     // stateWatch: the 101 is out: both directions are frames
	in     stream
	out    stream
	closed bool
}

// Read reads from the connection, and shows the watcher what came.
func (c *Conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.state.Load() != statePass {
		c.sawRead(p[:n])
	}
	return n, err
}

// Write writes to the connection, and shows the watcher what went.
func (c *Conn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 && c.state.Load() == stateWatch {
		c.sawWrite(p[:n])
	}
	return n, err
}

// ANCHOR_END: conn

// CloseWrite half-closes the connection if the one below can (a
// *net.TCPConn can): policy.Drain sends its FIN with it.
func (c *Conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return net.ErrClosed
}

// forget takes c out of the tap's table: a hijacked connection that is
// not watched is no business of the tap's any more.
func (c *Conn) forget() {
	c.t.mu.Lock()
	defer c.t.mu.Unlock()
	if c.t.conns[c.key] == c {
		delete(c.t.conns, c.key)
	}
}

// Close closes the connection, tells the watcher, and forgets it.
func (c *Conn) Close() error {
	err := c.Conn.Close()
	c.mu.Lock()
	first := !c.closed
	c.closed = true
	s := c.sess
	c.sess, c.kept = nil, nil
	c.mu.Unlock()
	if !first {
		return err
	}
	c.state.Store(statePass)
	c.forget()
	if s != nil {
		s.push(Record{Kind: KindClosed})
		s.end()
	}
	return err
}

// maxKept is the most a Conn keeps of what it reads before a request
// reaches a handler: room for the largest request head the server takes,
// and the frames a client may send right behind it.
const maxKept = 2 * serve.MaxHeaderBytes

// sawRead handles bytes read.
func (c *Conn) sawRead(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch c.state.Load() {
	case stateHTTP:
		c.kept = append(c.kept, b...)
		if over := len(c.kept) - maxKept; over > 0 {
			c.kept = c.kept[:copy(c.kept, c.kept[over:])]
		}
	case stateWatch:
		if c.framed {
			c.in.feed(b)
			return
		}
		c.early = append(c.early, b...)
		if len(c.early) > maxKept { // a client that will not wait for the 101
			c.endWatch(&Handshake{Request: redact(c.req), Response: "(more than 32 KiB came in before the response)", Key: c.wsKey})
		}
	}
}

// sawWrite handles bytes written, while watched.
func (c *Conn) sawWrite(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.Load() != stateWatch {
		return
	}
	if c.framed {
		c.out.feed(b)
		return
	}
	c.sawResponse(b)
}

// detach stops watching c for s: from now on c passes bytes through.
func (c *Conn) detach(s *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == s {
		c.state.Store(statePass)
		c.sess, c.req, c.resp, c.early = nil, nil, nil, nil
		c.in, c.out = stream{}, stream{}
	}
}

// lookup returns the open connection with these addresses, or nil.
func (t *Tap) lookup(local, remote string) *Conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.conns[connKey(local, remote)]
}
