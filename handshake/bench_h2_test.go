package handshake

import (
	"bytes"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// idleStreams is how many WebSockets BenchmarkIdleMemoryH2 opens on its one
// connection: fewer than the 250 streams Go's server allows at once.
const idleStreams = 200

// ANCHOR: bench-idle-h2

// BenchmarkIdleMemoryH2 is BenchmarkIdleMemory over HTTP/2: 200 WebSockets
// on one TLS connection, each echoing one 32-byte message and then quiet,
// and the server's memory per WebSocket (heap in use plus stacks). The
// client is a bare HTTP/2 framer on one connection, so almost nothing of
// it grows with the number of streams.
//
//	go test -run '^$' -bench IdleMemoryH2 ./handshake
func BenchmarkIdleMemoryH2(b *testing.B) {
	perSocket, ok := idleMeasured["h2"]
	if !ok {
		perSocket = h2IdleBytesPerSocket(b)
		idleMeasured["h2"] = perSocket
	}
	for b.Loop() {
	}
	b.ReportMetric(perSocket, "B/conn")
	b.ReportMetric(0, "ns/op") // the empty loop's time means nothing: not shown
}

// ANCHOR_END: bench-idle-h2

func h2IdleBytesPerSocket(b *testing.B) float64 {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Upgrade(w, r, nil)
		if err != nil {
			return
		}
		echoLoop(c) // inside the handler: the stream lives as long as it
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	cfg := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	cfg.NextProtos = []string{"h2"}
	conn, err := tls.Dial("tcp", srv.Listener.Addr().String(), cfg)
	require.NoError(b, err)
	defer conn.Close()
	_, err = io.WriteString(conn, http2.ClientPreface)
	require.NoError(b, err)
	fr := http2.NewFramer(conn, conn)
	require.NoError(b, fr.WriteSettings())

	// next reads frames until one of stream id of the wanted type arrives,
	// answering the server's SETTINGS and PINGs on the way.
	next := func(id uint32, want http2.FrameType) {
		for {
			f, err := fr.ReadFrame()
			require.NoError(b, err)
			switch f := f.(type) {
			case *http2.SettingsFrame:
				if !f.IsAck() {
					require.NoError(b, fr.WriteSettingsAck())
				}
			case *http2.PingFrame:
				if !f.IsAck() {
					require.NoError(b, fr.WritePing(true, f.Data))
				}
			case *http2.RSTStreamFrame:
				b.Fatalf("stream %d reset: %v", f.StreamID, f.ErrCode)
			}
			if f.Header().StreamID == id && f.Header().Type == want {
				return
			}
		}
	}

	var block bytes.Buffer
	enc := hpack.NewEncoder(&block)
	before := inUse()
	for i := range idleStreams {
		id := uint32(2*i + 1)
		block.Reset()
		for _, f := range [][2]string{{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "https"},
			{":path", "/ws"}, {":authority", srv.Listener.Addr().String()}, {"sec-websocket-version", "13"}} {
			require.NoError(b, enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]}))
		}
		require.NoError(b, fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: block.Bytes(), EndHeaders: true}))
		next(id, http2.FrameHeaders) // the 200
		require.NoError(b, fr.WriteData(id, false, ping32))
		next(id, http2.FrameData) // the echo
	}
	return float64(inUse()-before) / idleStreams
}
