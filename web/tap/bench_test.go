package tap

import (
	"net"
	"net/http"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/serve"
)

// BenchmarkEcho measures the round trip of a 32-byte text message to the
// by-hand echo over loopback: on a plain listener, through the tap with no
// inspector (what every server pays: the issue allows 2 %), and watched by
// an inspector that reads. Pin it to one core to compare:
//
//	taskset -c 1 go test -run '^$' -bench Echo -benchmem -count 6 ./web/tap
func BenchmarkEcho(b *testing.B) {
	msg := []byte("0123456789abcdef0123456789abcdef")
	plain := func(b *testing.B) string {
		srv := &serve.Server{Addr: "127.0.0.1:0", Handler: echoHandler(echoOptions{})}
		return "ws" + run(b, srv)[len("http"):] + "/ws"
	}
	cases := []struct {
		name string
		url  func(b *testing.B) string
	}{
		{"untapped", plain},
		{"tapped", func(b *testing.B) string { return startTapped(b, new(Tap), echoOptions{}).ws("/ws") }},
		{"watched", func(b *testing.B) string {
			s := startTapped(b, new(Tap), echoOptions{})
			token := s.token(b)
			records := s.inspector(b, token)
			go func() {
				for range records {
				}
			}()
			return s.ws("/ws?inspect=" + token)
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			c := dial(b, tc.url(b))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				require.NoError(b, c.WriteMessage(handshake.OpText, msg))
				if _, _, err := c.ReadMessage(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// nopConn is a net.Conn whose reads and writes return at once, so that
// BenchmarkPassThrough measures the tap alone.
type nopConn struct{ net.Conn }

func (nopConn) Read(p []byte) (int, error)  { return len(p), nil }
func (nopConn) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkPassThrough measures what a connection the tap does not watch
// pays it per Read and Write, against the same connection untapped: an
// HTTP request does, and a WebSocket whose tapped Conn is wrapped again
// (the polling lab's byte meter wraps the tap, so Hijack cannot hand the
// bare connection over).
func BenchmarkPassThrough(b *testing.B) {
	p := make([]byte, 64)
	tapped := &Conn{Conn: nopConn{}}
	tapped.state.Store(statePass)
	for _, tc := range []struct {
		name string
		c    net.Conn
	}{{"untapped", nopConn{}}, {"tapped", tapped}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = tc.c.Read(p)
				_, _ = tc.c.Write(p)
			}
		})
	}
}

// BenchmarkEchoInterleaved answers "does the tap cost 2 %?" on a busy
// machine: it alternates round trips to an untapped and a tapped server,
// one each per iteration, so that whatever else the machine does falls on
// both alike, and reports the median round trip of each and their
// difference in per cent.
//
// Two servers: the by-hand echo, which writes each frame with one Write,
// and gorilla's, which writes a header and a payload with one writev
// (net.Buffers) when the connection is a *net.TCPConn.
func BenchmarkEchoInterleaved(b *testing.B) {
	servers := []struct {
		name string
		echo http.Handler
	}{
		{"byhand", echoHandler(echoOptions{})},
		{"gorilla", gorillaEcho(false)},
	}
	for _, srv := range servers {
		b.Run(srv.name, func(b *testing.B) { interleave(b, srv.echo) })
	}
}

// interleave is BenchmarkEchoInterleaved for one echo handler.
func interleave(b *testing.B, echo http.Handler) {
	msg := []byte("0123456789abcdef0123456789abcdef")
	plainSrv := &serve.Server{Addr: "127.0.0.1:0", Handler: echo}
	tp := new(Tap)
	tappedSrv := &serve.Server{Addr: "127.0.0.1:0", Handler: tp.Handler(echo), Listen: tp.Listen}
	conns := []*handshake.Conn{
		dial(b, "ws"+run(b, plainSrv)[len("http"):]+"/ws"),
		dial(b, "ws"+run(b, tappedSrv)[len("http"):]+"/ws"),
	}
	samples := [2][]time.Duration{}
	b.ResetTimer()
	for iter := 0; b.Loop(); iter++ {
		for j := range conns {
			i := (iter + j) % len(conns) // each goes first every other time
			c := conns[i]
			start := time.Now()
			require.NoError(b, c.WriteMessage(handshake.OpText, msg))
			if _, _, err := c.ReadMessage(); err != nil {
				b.Fatal(err)
			}
			samples[i] = append(samples[i], time.Since(start))
		}
	}
	untapped, tapped := median(samples[0]), median(samples[1])
	b.ReportMetric(float64(untapped.Nanoseconds()), "untapped-ns/rt")
	b.ReportMetric(float64(tapped.Nanoseconds()), "tapped-ns/rt")
	b.ReportMetric(100*float64(tapped-untapped)/float64(untapped), "%-tap-cost")
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// idleConns is how many idle WebSockets BenchmarkIdleMemory opens.
const idleConns = 500

// BenchmarkIdleMemory measures the memory that 500 idle WebSockets to the
// by-hand echo take, server and client in this process, on a plain
// listener and through the tap with no inspector: the difference per
// connection is the tap's. (None: at its Hijack an unwatched WebSocket is
// handed the bare connection, and the tap forgets it.)
func BenchmarkIdleMemory(b *testing.B) {
	for _, tapped := range []bool{false, true} {
		b.Run(map[bool]string{false: "untapped", true: "tapped"}[tapped], func(b *testing.B) {
			srv := &serve.Server{Addr: "127.0.0.1:0", Handler: echoHandler(echoOptions{})}
			if tapped {
				tp := new(Tap)
				srv.Handler, srv.Listen = tp.Handler(srv.Handler), tp.Listen
			}
			url := "ws" + run(b, srv)[len("http"):] + "/ws"
			var perConn float64
			for b.Loop() {
				before := inUse()
				conns := make([]*handshake.Conn, idleConns)
				for i := range conns {
					conns[i] = dial(b, url)
				}
				perConn = float64(inUse()-before) / idleConns
				for _, c := range conns {
					c.Close()
				}
			}
			b.ReportMetric(perConn, "B/conn")
		})
	}
}

// inUse is the heap and stack memory in use, after a collection.
func inUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}
