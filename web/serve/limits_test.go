package serve

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xnet "golang.org/x/net/websocket"
)

// noContent answers every request with 204.
var noContent = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
})

// TestIdleKeepAliveIsClosed: after its response, a keep-alive connection
// that sends no next request is closed once IdleTimeout passes (without
// one, net/http keeps it for ever and the read below times out).
func TestIdleKeepAliveIsClosed(t *testing.T) {
	addr := start(t, &Server{Addr: "127.0.0.1:0", Handler: noContent, IdleTimeout: 50 * time.Millisecond})
	conn := dial(t, addr)
	_, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	require.NoError(t, err)
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.False(t, resp.Close, "the server should keep the connection alive")

	_, err = r.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the server should close the idle connection")
}

// TestServerTimeoutsAreSet: the limits a Server gives net/http when not
// overridden (the tests above and below override them to stay fast).
func TestServerTimeoutsAreSet(t *testing.T) {
	assert.LessOrEqual(t, IdleTimeout, 120*time.Second, "idle keep-alive connections must be closed within 120 s")
	assert.Positive(t, WriteTimeout)
	assert.LessOrEqual(t, MaxHeaderBytes, 16<<10)
}

// TestHeaderLimit: a request whose line and headers take more than
// MaxHeaderBytes (16 KiB, counted the way net/http counts, slack included)
// is answered 431; one that fits is served.
func TestHeaderLimit(t *testing.T) {
	addr := start(t, &Server{Addr: "127.0.0.1:0", Handler: noContent})
	cases := []struct {
		name string
		size int // bytes of request line and headers, final CRLF included
		want int
	}{
		{"a handshake-sized request", 300, http.StatusNoContent},
		{"8 KiB", 8 << 10, http.StatusNoContent},
		{"exactly 16 KiB", MaxHeaderBytes, http.StatusNoContent},
		{"16 KiB and one byte", MaxHeaderBytes + 1, http.StatusRequestHeaderFieldsTooLarge},
		{"20 KiB (under net/http's default)", 20 << 10, http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := rawRequest(t, addr, requestOfSize(t, tc.size))
			assert.Equal(t, tc.want, resp.StatusCode)
		})
	}
}

// requestOfSize returns a GET request of exactly size bytes, padded with
// an X-Pad header.
func requestOfSize(t *testing.T, size int) string {
	head := "GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
	tail := "\r\n\r\n"
	pad := size - len(head) - len(tail)
	require.Positive(t, pad)
	return head + strings.Repeat("a", pad) + tail
}

// TestPlainResponseWriteIsBounded: a client that asks for a big response
// and never reads it holds the handler's Write for WriteTimeout, not for
// ever. (Without a write deadline the handler is still writing when the
// test gives up.)
func TestPlainResponseWriteIsBounded(t *testing.T) {
	wrote := make(chan error, 1)
	chunk := make([]byte, 1<<20)
	addr := start(t, &Server{Addr: "127.0.0.1:0", WriteTimeout: 100 * time.Millisecond,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for {
				if _, err := w.Write(chunk); err != nil {
					wrote <- err
					return
				}
			}
		})})
	conn := dial(t, addr)
	_, err := io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n")
	require.NoError(t, err)
	// The client reads nothing.
	select {
	case err := <-wrote:
		assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	case <-time.After(ioTimeout):
		t.Fatal("the handler is still writing to a client that does not read")
	}
}

// TestExtendWriteDeadline: a handler that waits past WriteTimeout before it
// answers (a long poll) loses its answer, unless it has extended the
// deadline first.
func TestExtendWriteDeadline(t *testing.T) {
	const writeTimeout = 50 * time.Millisecond
	const wait = 3 * writeTimeout
	cases := []struct {
		name   string
		extend bool
	}{
		{"without ExtendWriteDeadline the late answer is lost", false},
		{"with ExtendWriteDeadline the late answer arrives", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := start(t, &Server{Addr: "127.0.0.1:0", WriteTimeout: writeTimeout,
				Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tc.extend {
						assert.NoError(t, ExtendWriteDeadline(w, wait+2*time.Second)) // room for a loaded machine
					}
					<-time.After(wait) // the long poll's wait
					_, _ = io.WriteString(w, "late")
				})})
			conn := dial(t, addr)
			_, err := io.WriteString(conn, "GET /longpoll HTTP/1.1\r\nHost: localhost\r\n\r\n")
			require.NoError(t, err)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if !tc.extend {
				assert.Error(t, err, "the answer should not arrive after the write deadline")
				return
			}
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, "late", string(body))
		})
	}
}

// TestExtendWriteDeadlineWithoutAConnection: a ResponseWriter that cannot
// set deadlines says so rather than pretending.
func TestExtendWriteDeadlineWithoutAConnection(t *testing.T) {
	assert.ErrorIs(t, ExtendWriteDeadline(struct{ http.ResponseWriter }{nil}, time.Second), http.ErrNotSupported)
}

// TestWebSocketOutlivesWriteTimeout: the write deadline that net/http puts
// on a connection for its response must not follow a WebSocket past the
// hijack, or every socket would die WriteTimeout after its handshake. Each
// way of upgrading (gorilla, x/net, a bare Hijack as handshake.Upgrade
// does) writes a message, without a deadline of its own, well after the
// WriteTimeout has passed; the client must get it.
func TestWebSocketOutlivesWriteTimeout(t *testing.T) {
	const writeTimeout = 50 * time.Millisecond
	const late = 4 * writeTimeout
	cases := []struct {
		name    string
		handler http.Handler
		read    func(t *testing.T, addr string) string // dials, returns the message
	}{
		{"gorilla", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var up websocket.Upgrader
			c, err := up.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer c.Close()
			<-time.After(late)
			_ = c.WriteMessage(websocket.TextMessage, []byte("still here"))
			_, _, _ = c.ReadMessage() // until the client closes
		}), readGorilla},
		{"x/net", xnet.Server{Handler: func(ws *xnet.Conn) {
			<-time.After(late)
			_ = xnet.Message.Send(ws, "still here")
			var s string
			_ = xnet.Message.Receive(ws, &s)
		}}, readGorilla},
		{"bare hijack", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, brw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n")
			_ = brw.Flush()
			<-time.After(late)
			_, _ = io.WriteString(conn, "still here\n")
			_, _ = brw.ReadByte() // until the client closes
		}), readRaw},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := start(t, &Server{Addr: "127.0.0.1:0", WriteTimeout: writeTimeout, Handler: tc.handler})
			assert.Equal(t, "still here", tc.read(t, addr))
		})
	}
}

// readGorilla opens a WebSocket to addr with gorilla's client and returns
// the first message.
func readGorilla(t *testing.T, addr string) string {
	d := websocket.Dialer{HandshakeTimeout: ioTimeout}
	c, resp, err := d.Dial("ws://"+addr+"/ws", nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	return string(msg)
}

// readRaw sends an Upgrade request by hand and returns the first line after
// the 101 response.
func readRaw(t *testing.T, addr string) string {
	conn := dial(t, addr)
	_, err := io.WriteString(conn, "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n")
	require.NoError(t, err)
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	line, err := r.ReadString('\n')
	var ne net.Error
	require.False(t, errors.As(err, &ne) && ne.Timeout(), "no message within %v", ioTimeout)
	require.NoError(t, err)
	return strings.TrimSuffix(line, "\n")
}
