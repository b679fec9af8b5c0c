package handshake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// echoSizes are the message sizes of BenchmarkEchoSize: a chat line, a
// JSON document, a chunk of a file, and gorilla's default buffer size times
// sixteen (the "64 KiB bulk" column of the perf table), and the default
// message limit, 1 MiB.
var echoSizes = []int{32, 1 << 10, 16 << 10, 64 << 10, 1 << 20}

// BenchmarkEchoSize echoes one binary message of each size through the
// by-hand server, with the by-hand client, on loopback. The goal for every
// size: 0 allocs/op in the steady state (client and server together), and
// the bytes/s as close to a raw TCP echo's as framing and masking allow.
//
//	taskset -c 1 go test -run '^$' -bench EchoSize -benchmem ./handshake
func BenchmarkEchoSize(b *testing.B) {
	for _, size := range echoSizes {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			srv := httptest.NewServer(exactEcho(nil))
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c, _, err := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
			require.NoError(b, err)
			defer c.Close()
			msg := bytes.Repeat([]byte{'w'}, size)

			b.ReportAllocs()
			b.SetBytes(int64(size))
			defer reportCPU(b)()
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

// BenchmarkEchoSizeTCP is the floor of BenchmarkEchoSize in the same run:
// the same sizes echoed over a bare TCP connection on loopback, no framing,
// no masking, one goroutine each side, as the perf table's raw TCP echo.
// Divide EchoSize's ns/op by this one's for the ratio the goals are set in.
//
//	taskset -c 1 go test -run '^$' -bench 'EchoSize' -benchmem ./handshake
func BenchmarkEchoSizeTCP(b *testing.B) {
	for _, size := range echoSizes {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(b, err)
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				buf := make([]byte, size)
				for {
					if _, err := io.ReadFull(c, buf); err != nil {
						return
					}
					if _, err := c.Write(buf); err != nil {
						return
					}
				}
			}()
			c, err := net.Dial("tcp", ln.Addr().String())
			require.NoError(b, err)
			defer c.Close()
			msg := bytes.Repeat([]byte{'w'}, size)
			got := make([]byte, size)

			b.ReportAllocs()
			b.SetBytes(int64(size))
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := c.Write(msg); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c, got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU starts counting the process's CPU time; the function it
// returns, deferred, reports it as cpu-ns/op (client and server together,
// as both run in this process). Where CPU time is not available it reports
// nothing.
func reportCPU(b *testing.B) func() {
	start, ok := cpuTime()
	return func() {
		end, _ := cpuTime()
		if ok && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}
