package serve

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURL(t *testing.T) {
	cases := []struct {
		addr string
		want string
	}{
		{"[::]:1234", "http://localhost:1234"},
		{"0.0.0.0:1234", "http://localhost:1234"},
		{"127.0.0.1:41000", "http://127.0.0.1:41000"},
		{"[::1]:8080", "http://[::1]:8080"},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			addr, err := net.ResolveTCPAddr("tcp", tc.addr)
			require.NoError(t, err)
			assert.Equal(t, tc.want, URL(addr))
		})
	}
}

// lines is an io.Writer that hands each write to a channel.
type lines chan string

func (l lines) Write(p []byte) (int, error) { l <- string(p); return len(p), nil }

// TestRunSaysGoodbyeAndWaits starts a server whose one handler holds its
// connection open until it is told goodbye, then shuts the server down.
func TestRunSaysGoodbyeAndWaits(t *testing.T) {
	srv := &Server{Addr: "127.0.0.1:0"}
	inHandler := make(chan struct{})
	saidGoodbye := make(chan struct{})
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done := srv.Track(func() { close(saidGoodbye) })
		defer done()
		close(inHandler)
		<-saidGoodbye
	})

	ctx, cancel := context.WithCancel(context.Background())
	out := make(lines, 1)
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx, out) }()

	line := <-out
	require.True(t, strings.HasPrefix(line, "listening on http://127.0.0.1:"), line)
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	go func() {
		if resp, err := http.Get(url); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	<-inHandler

	cancel()
	select {
	case err := <-ran:
		assert.NoError(t, err)
	case <-time.After(ShutdownTimeout + time.Second):
		t.Fatal("Run did not return after shutdown")
	}
	select {
	case <-saidGoodbye:
	default:
		t.Fatal("the tracked connection was not told goodbye")
	}
}

func TestRunReportsListenErrors(t *testing.T) {
	srv := &Server{Addr: "127.0.0.1:-1", Handler: http.NotFoundHandler()}
	assert.Error(t, srv.Run(context.Background(), io.Discard))
}

// TestHalfSentHandshakeIsDropped opens a connection, sends half a request's
// headers and stops: the server must hang up rather than wait forever.
func TestHalfSentHandshakeIsDropped(t *testing.T) {
	srv := &Server{Addr: "127.0.0.1:0", Handler: http.NotFoundHandler(), ReadHeaderTimeout: 50 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(lines, 1)
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx, out) }()
	defer func() { cancel(); <-ran }()
	host := strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(<-out, "listening on ")), "http://")

	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	n, err := conn.Read(make([]byte, 512))
	assert.ErrorIs(t, err, io.EOF, "the server should close the connection (read %d bytes)", n)
}
