package handshake

import (
	"bytes"
	"context"
	"fmt"
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
