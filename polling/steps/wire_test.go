package steps

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
)

// wire counts what a client sends and receives: the requests it makes and
// every byte that crosses its connections, in both directions.
type wire struct {
	requests atomic.Int64 // HTTP requests sent through client
	dials    atomic.Int64 // TCP connections opened
	bytes    atomic.Int64 // bytes read and written on them
}

// countingConn adds every byte read or written to its wire.
type countingConn struct {
	net.Conn
	w *wire
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.w.bytes.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.w.bytes.Add(int64(n))
	return n, err
}

// dial opens a TCP connection whose bytes the wire counts.
func (w *wire) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	w.dials.Add(1)
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return countingConn{c, w}, nil
}

// counter is an http.RoundTripper that counts each request on its wire
// and sends it on a connection the wire counts.
type counter struct {
	w *wire
	t *http.Transport
}

func (c counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.w.requests.Add(1)
	return c.t.RoundTrip(r)
}

// client is a keep-alive HTTP client whose requests and bytes the wire
// counts.
func (w *wire) client() *http.Client {
	return &http.Client{Transport: counter{w, &http.Transport{DialContext: w.dial}}}
}
