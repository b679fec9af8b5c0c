package wire

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startCounted serves a tiny handler on a counted loopback listener.
func startCounted(t *testing.T) (*Meter, string) {
	t.Helper()
	m := NewMeter()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	mux := http.NewServeMux()
	for _, p := range []string{"/poll", "/longpoll", "/other"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			fmt.Fprint(w, "answer to "+r.URL.Path)
		})
	}
	srv := &http.Server{Handler: m.Handler(mux), ConnContext: ConnContext}
	go func() { _ = srv.Serve(m.Listen(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return m, ln.Addr().String()
}

// TestCountsEveryByte sends requests by hand on one keep-alive connection,
// to different transports, and checks that each transport is charged
// exactly the bytes that crossed the wire for it, both ways.
func TestCountsEveryByte(t *testing.T) {
	m, addr := startCounted(t)
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	r := bufio.NewReader(c)

	requests := []struct {
		transport Transport
		raw       string
	}{
		{Poll, "GET /poll?since=0 HTTP/1.1\r\nHost: x\r\nUser-Agent: test\r\n\r\n"},
		{Other, "POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"},
		{LongPoll, "GET /longpoll HTTP/1.1\r\nHost: x\r\n\r\n"},
		{Poll, "GET /poll?since=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n"},
	}
	want := map[Transport]Totals{}
	for _, req := range requests {
		_, err := io.WriteString(c, req.raw)
		require.NoError(t, err)
		n := responseBytes(t, r)
		w := want[req.transport]
		w.Requests++
		w.BytesIn += int64(len(req.raw))
		w.BytesOut += int64(n)
		want[req.transport] = w
	}
	// The server counts a response when its Write returns, which can be a
	// moment after this client has read the bytes: wait, with a deadline,
	// for the counts to settle, then compare.
	settled := func() bool {
		got := m.Snapshot()
		return got[Poll] == want[Poll] && got[LongPoll] == want[LongPoll] && got[Other] == want[Other]
	}
	assert.Eventually(t, settled, 5*time.Second, time.Millisecond, "the counts did not reach the bytes on the wire")
	got := m.Snapshot()
	for _, tr := range []Transport{Poll, LongPoll, Other} {
		assert.Equal(t, want[tr], got[tr], "transport %s", tr)
	}
	assert.Equal(t, Totals{}, got[WS])
}

// responseBytes reads one whole response and returns its size in bytes.
func responseBytes(t *testing.T, r *bufio.Reader) int {
	t.Helper()
	cr := &countingReader{r: r}
	resp, err := http.ReadResponse(bufio.NewReaderSize(cr, 16), nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return cr.n
}

// countingReader counts the bytes read through it. The bufio.Reader over
// it is small, and a response is read to its end, so no byte of the next
// response is read ahead.
type countingReader struct {
	r *bufio.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestHijackedStaysWithItsTransport: after a handler hijacks the connection
// (as a WebSocket upgrade does), everything both ways is still charged to
// the transport of the request that started it.
func TestHijackedStaysWithItsTransport(t *testing.T) {
	m := NewMeter()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	const reply = "HTTP/1.1 101 Switching Protocols\r\n\r\nframes from the server"
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = io.WriteString(conn, reply)
		buf := make([]byte, len("frames from the client"))
		_, _ = io.ReadFull(rw, buf)
	})
	srv := &http.Server{Handler: m.Handler(handler), ConnContext: ConnContext}
	go func() { _ = srv.Serve(m.Listen(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })

	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	const req = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
	_, err = io.WriteString(c, req+"frames from the client")
	require.NoError(t, err)
	got, err := io.ReadAll(c) // until the handler closes
	require.NoError(t, err)
	require.Equal(t, reply, string(got))

	assert.Equal(t, Totals{Requests: 1, BytesIn: int64(len(req + "frames from the client")), BytesOut: int64(len(reply))}, m.Snapshot()[WS])
}
