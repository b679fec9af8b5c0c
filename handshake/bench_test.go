package handshake

import (
	"bytes"
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

// idleConns is how many idle connections BenchmarkIdleMemory opens.
const idleConns = 2000

// BenchmarkIdleMemory opens 2,000 WebSocket connections that each echo one
// 32-byte message and then say nothing, and reports the memory (heap in use plus goroutine stacks) that
// each one costs, server and client side together; the client side is a
// bare TCP socket (a few hundred bytes). Goal for the by-hand server:
// ≤ 12 KiB per idle connection.
//
//	go test -run '^$' -bench IdleMemory ./handshake
func BenchmarkIdleMemory(b *testing.B) {
	for _, s := range benchServers {
		b.Run(s.name, func(b *testing.B) {
			// Measured once per process, then reported in every round the
			// benchmark framework asks for: a second measurement would start
			// with the first one's freed stack spans already counted, and
			// come out too small.
			perConn, ok := idleMeasured[s.name]
			if !ok {
				perConn = idleBytesPerConn(b, s.handler)
				idleMeasured[s.name] = perConn
			}
			for b.Loop() {
			}
			b.ReportMetric(perConn, "B/conn")
		})
	}
}

// idleMeasured holds BenchmarkIdleMemory's one measurement per server.
var idleMeasured = map[string]float64{}

func idleBytesPerConn(b *testing.B, h http.Handler) float64 {
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
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
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

// inUse returns heap in use plus goroutine stacks, after a collection.
func inUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}
