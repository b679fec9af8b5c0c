package tap

import (
	"net"
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

// BenchmarkPassThrough measures what an unwatched connection pays the tap
// per Read and Write, against the same connection untapped: a loopback
// echo round trip makes two of each (the server reads a frame, writes
// one; the client does the same on an untapped socket).
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
func BenchmarkEchoInterleaved(b *testing.B) {
	msg := []byte("0123456789abcdef0123456789abcdef")
	plain := &serve.Server{Addr: "127.0.0.1:0", Handler: echoHandler(echoOptions{})}
	conns := []*handshake.Conn{
		dial(b, "ws"+run(b, plain)[len("http"):]+"/ws"),
		dial(b, startTapped(b, new(Tap), echoOptions{}).ws("/ws")),
	}
	samples := [2][]time.Duration{}
	b.ResetTimer()
	for b.Loop() {
		for i, c := range conns {
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
