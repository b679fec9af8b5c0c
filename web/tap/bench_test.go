package tap

import (
	"testing"

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
