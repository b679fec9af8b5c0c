package handshake

import (
	"bytes"
	"compress/flate"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchServers are the servers the benchmarks compare: the by-hand echo of
// this package and gorilla's.
var benchServers = []struct {
	name    string
	handler http.HandlerFunc
}{
	{"byhand", echo},
	{"gorilla", gorillaEcho},
}

// BenchmarkEcho measures one round trip of a 32-byte binary message over
// loopback, with our client against each server. Goal for the by-hand
// server: 0 allocs/op in steady state, and throughput at least gorilla's.
//
//	go test -run '^$' -bench Echo -benchmem ./handshake
func BenchmarkEcho(b *testing.B) {
	msg := bytes.Repeat([]byte{'w'}, 32)
	for _, s := range benchServers {
		b.Run(s.name, func(b *testing.B) {
			srv := httptest.NewServer(s.handler)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c, _, err := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
			require.NoError(b, err)
			defer c.Close()

			b.ReportAllocs()
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				if err := c.WriteMessage(OpBinary, msg); err != nil {
					b.Fatal(err)
				}
				if _, _, err := c.ReadMessage(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// deflateServers are the servers of the compression benchmarks: the
// by-hand echo with context takeover, without, and gorilla's (which knows
// only without), each with the Dialer's offer that suits it.
var deflateServers = []struct {
	name    string
	handler http.HandlerFunc
	offer   *Compression
}{
	{"byhand+takeover", exactEcho(&Options{Compression: &Compression{ContextTakeover: true}}), &Compression{ContextTakeover: true}},
	{"byhand+no-takeover", exactEcho(&Options{Compression: &Compression{}}), &Compression{}},
	{"gorilla+no-takeover", gorillaDeflateEcho, &Compression{}},
}

// BenchmarkEchoDeflate is BenchmarkEcho with permessage-deflate negotiated:
// "small" is the 32-byte message, under the threshold, so it goes out as it
// is (goal: 0 allocs/op still); "json" is 2 KiB of JSON events, compressed
// both ways, which prices compression and context takeover in CPU.
//
//	go test -run '^$' -bench EchoDeflate -benchmem ./handshake
func BenchmarkEchoDeflate(b *testing.B) {
	payloads := []struct {
		name string
		msg  []byte
	}{
		{"small", bytes.Repeat([]byte{'w'}, 32)},
		{"json", jsonEvents(2048)},
	}
	for _, p := range payloads {
		for _, s := range deflateServers {
			b.Run(p.name+"/"+s.name, func(b *testing.B) {
				srv := httptest.NewServer(s.handler)
				defer srv.Close()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				c, _, err := (&Dialer{Compression: s.offer}).Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"))
				require.NoError(b, err)
				defer c.Close()
				require.NotNil(b, c.deflate, "compression negotiated")

				b.ReportAllocs()
				b.SetBytes(int64(len(p.msg)))
				for b.Loop() {
					if err := c.WriteMessage(OpBinary, p.msg); err != nil {
						b.Fatal(err)
					}
					if _, _, err := c.ReadMessage(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// idleConns is how many idle connections BenchmarkIdleMemory opens.
const idleConns = 2000

// BenchmarkIdleMemory opens 2,000 WebSocket connections that each echo one
// 32-byte message and then say nothing, and reports the memory (heap in use plus goroutine stacks) that
// each one costs, server and client side together; the client side is a
// bare TCP socket (a few hundred bytes). Goal for the by-hand server:
// ≤ 12 KiB per idle connection.
//
//	go test -run '^$' -bench IdleMemory ./handshake
//
// "byhand+deflate" is the by-hand server with compression on, and clients
// that offer it: negotiated, but not yet used, it must cost (almost)
// nothing more.
func BenchmarkIdleMemory(b *testing.B) {
	servers := []struct {
		name    string
		handler http.Handler
		offer   string
	}{
		{"byhand", http.HandlerFunc(echo), ""},
		{"gorilla", http.HandlerFunc(gorillaEcho), ""},
		{"byhand+deflate", exactEcho(&Options{Compression: &Compression{ContextTakeover: true}}), "permessage-deflate"},
		// the by-hand echo as it would be if it did not return from
		// ServeHTTP: what the echo's handler saves (the chapter "Frames")
		{"byhand-in-ServeHTTP", http.HandlerFunc(echoInside), ""},
	}
	for _, s := range servers {
		b.Run(s.name, func(b *testing.B) {
			// Measured once per process, then reported in every round the
			// benchmark framework asks for: a second measurement would start
			// with the first one's freed stack spans already counted, and
			// come out too small.
			perConn, ok := idleMeasured[s.name]
			if !ok {
				perConn = idleBytesPerConn(b, s.handler, s.offer)
				idleMeasured[s.name] = perConn
			}
			for b.Loop() {
			}
			b.ReportMetric(perConn, "B/conn")
			b.ReportMetric(0, "ns/op") // the empty loop's time means nothing: not shown
		})
	}
}

// echoInside is echo with the loop inside ServeHTTP: net/http keeps the
// connection's read and write buffers for as long as the handler runs.
func echoInside(w http.ResponseWriter, r *http.Request) {
	c, err := Upgrade(w, r, nil)
	if err != nil {
		return
	}
	echoLoop(c)
}

// idleMeasured holds BenchmarkIdleMemory's one measurement per server.
var idleMeasured = map[string]float64{}

func idleBytesPerConn(b *testing.B, h http.Handler, offer string) float64 {
	srv := httptest.NewServer(h)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	before := inUse()

	conns := make([]net.Conn, 0, idleConns)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	request := []byte("GET / HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
	if offer != "" {
		request = append(request, "Sec-WebSocket-Extensions: "+offer+"\r\n"...)
	}
	request = append(request, "\r\n"...)
	var resp [512]byte
	for range idleConns {
		c, err := net.Dial("tcp", host)
		require.NoError(b, err)
		conns = append(conns, c)
		_, err = c.Write(request)
		require.NoError(b, err)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := c.Read(resp[:])
		require.NoError(b, err)
		require.Contains(b, string(resp[:n]), "101 Switching Protocols")
		if offer != "" {
			require.Contains(b, string(resp[:n]), "Sec-WebSocket-Extensions: permessage-deflate")
		}
		// One echo, as a real connection has before it goes quiet: the
		// deepest call on its goroutine's stack decides that stack's size.
		_, err = c.Write(ping32)
		require.NoError(b, err)
		_, err = io.ReadFull(c, resp[:34])
		require.NoError(b, err)
	}
	return float64(inUse()-before) / idleConns
}

// ping32 is a masked binary frame of 32 zero bytes, with a zero key.
var ping32 = append([]byte{0x82, 0x80 | 32, 0, 0, 0, 0}, make([]byte, 32)...)

// activeConns is how many connections BenchmarkCompressedConnMemory opens.
const activeConns = 200

// BenchmarkCompressedConnMemory opens 200 connections with permessage-deflate,
// sends one compressed 2 KiB message on each and reads its compressed echo,
// and then reports the server's memory per connection (heap in use plus
// stacks; the client side is a bare TCP socket). With context takeover each
// connection keeps a flate.Writer of its own and the client's 32 KiB
// window; without, writers and readers go back to pools, and a connection
// keeps nothing.
//
//	go test -run '^$' -bench CompressedConnMemory ./handshake
func BenchmarkCompressedConnMemory(b *testing.B) {
	cases := []struct {
		name  string
		cfg   *Compression
		offer string
	}{
		{"takeover", &Compression{ContextTakeover: true}, "permessage-deflate"},
		{"no-takeover", &Compression{}, "permessage-deflate"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			perConn, ok := idleMeasured["active-"+tc.name]
			if !ok {
				perConn = activeBytesPerConn(b, tc.cfg, tc.offer)
				idleMeasured["active-"+tc.name] = perConn
			}
			for b.Loop() {
			}
			b.ReportMetric(perConn, "B/conn")
			b.ReportMetric(0, "ns/op") // the empty loop's time means nothing: not shown
		})
	}
}

func activeBytesPerConn(b *testing.B, cfg *Compression, offer string) float64 {
	srv := httptest.NewServer(exactEcho(&Options{Compression: cfg}))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	msg := deflateMessages(b, flate.BestSpeed, jsonEvents(2048))[0]
	before := inUse()
	peers := make([]*rawPeer, 0, activeConns)
	for range activeConns {
		p := dialDeflateRaw(b, url, offer, negotiatedAnswer(cfg))
		p.send(frame(true, rsv1, OpBinary, true, msg))
		h, _ := p.next()
		require.Equal(b, byte(rsv1), h.rsv, "a compressed echo")
		peers = append(peers, p)
	}
	perConn := float64(inUse()-before) / activeConns
	for _, p := range peers {
		p.conn.Close()
	}
	return perConn
}

// negotiatedAnswer is the server's answer to the plain offer.
func negotiatedAnswer(cfg *Compression) string {
	if cfg.ContextTakeover {
		return "permessage-deflate"
	}
	return "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
}

// inUse returns heap in use plus goroutine stacks, after a collection.
func inUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}
