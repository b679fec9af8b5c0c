package tap

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

// ioTimeout bounds every read and write a test makes.
const ioTimeout = 10 * time.Second

// testServer is a tapped echo server on loopback, as the workbook's servers
// are wired: the shared page, /ws (the by-hand echo: text M comes back as
// "Received: M"), and the inspector's routes.
type testServer struct {
	URL string // http://127.0.0.1:PORT
	tap *Tap
}

// echoOptions are the by-hand echo's options in tests; PingPeriod may be
// set to see the server's pings.
type echoOptions struct {
	pingPeriod time.Duration
}

func startTapped(t testing.TB, tp *Tap, opts echoOptions) *testServer {
	t.Helper()
	srv := &serve.Server{Addr: "127.0.0.1:0", Listen: tp.Listen}
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.Handle("/ws", echoHandler(opts))
	var origins policy.Origins
	tp.Register(mux, &origins, srv)
	srv.Handler = tp.Handler(mux)
	return &testServer{URL: run(t, srv), tap: tp}
}

// run starts srv and returns its URL; it is stopped when the test ends.
func run(t testing.TB, srv *serve.Server) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go func() { _, _ = bufio.NewReader(pr).WriteTo(discard{}) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// echoHandler is the by-hand echo of handshake/echo, in brief.
func echoHandler(opts echoOptions) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := &handshake.Options{PingPeriod: opts.pingPeriod}
		if opts.pingPeriod > 0 {
			o.PongWait = ioTimeout // a busy machine may answer a ping late
		}
		conn, err := handshake.Upgrade(w, r, o)
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			for {
				op, msg, err := conn.ReadMessage()
				if err != nil {
					return
				}
				if op == handshake.OpText {
					err = conn.WriteMessage(op, []byte("Received: "), msg)
				} else {
					err = conn.WriteMessage(op, msg)
				}
				if err != nil {
					return
				}
			}
		}()
	})
}

// ws is the server's WebSocket URL for path, e.g. ws("/ws").
func (s *testServer) ws(path string) string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + path
}

// token asks the server for an inspector token.
func (s *testServer) token(t testing.TB) string {
	t.Helper()
	resp, err := http.Post(s.URL+"/inspect/new", "", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var body struct{ Token string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Len(t, body.Token, 22)
	return body.Token
}

// dial opens a WebSocket with the workbook's own client; closed at the end.
func dial(t testing.TB, url string) *handshake.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, resp, err := handshake.Dial(ctx, url, nil)
	require.NoError(t, err, "dialing %s", url)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	return c
}

// inspector opens /inspect?token=token and returns the records it sends,
// one per receive, until the server closes it.
func (s *testServer) inspector(t testing.TB, token string) <-chan Record {
	t.Helper()
	c := dial(t, s.ws("/inspect?token="+token))
	out := make(chan Record, 1024)
	go func() {
		defer close(out)
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			var r Record
			if json.Unmarshal(msg, &r) != nil {
				return
			}
			out <- r
		}
	}()
	return out
}

// next returns the next record that is not a ping or pong frame, or fails.
func next(t testing.TB, records <-chan Record) Record {
	t.Helper()
	for {
		select {
		case r, ok := <-records:
			require.True(t, ok, "the inspector closed")
			if r.Frame != nil && (r.Frame.Opcode == byte(handshake.OpPing) || r.Frame.Opcode == byte(handshake.OpPong)) {
				continue
			}
			return r
		case <-time.After(ioTimeout):
			t.Fatal("no record within", ioTimeout)
		}
	}
}

// closes waits until the inspector closes, throwing away what else it
// sends, and fails the test if it does not within ioTimeout.
func closes(t testing.TB, records <-chan Record) {
	t.Helper()
	deadline := time.After(ioTimeout)
	for {
		select {
		case _, ok := <-records:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the inspector did not close within", ioTimeout)
		}
	}
}

// echo sends one message and reads its echo.
func echo(t testing.TB, c *handshake.Conn, op handshake.Opcode, msg []byte) []byte {
	t.Helper()
	c.SetWriteDeadline(time.Now().Add(ioTimeout))
	require.NoError(t, c.WriteMessage(op, msg))
	_, got, err := c.ReadMessage()
	require.NoError(t, err)
	return got
}

// rawUpgrade sends a handshake for path by hand, with the extra header
// lines given and the bytes after right behind it in the same write, and
// reads the response's head. The connection is the caller's to close.
func rawUpgrade(t testing.TB, s *testServer, path, extra string, after []byte) net.Conn {
	t.Helper()
	host := strings.TrimPrefix(s.URL, "http://")
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	conn.SetDeadline(time.Now().Add(ioTimeout))
	req := "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + extra
	if !strings.Contains(extra, "Sec-WebSocket-Version") {
		req += "Sec-WebSocket-Version: 13\r\n"
	}
	_, err = conn.Write(append([]byte(req+"\r\n"), after...))
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	return conn
}
