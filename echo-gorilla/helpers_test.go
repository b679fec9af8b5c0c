package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/policy"
)

// recorder is a tracker that remembers each connection's goodbye and
// closes, for each, a channel when its handler is done.
type recorder struct {
	mu      sync.Mutex
	byes    []func()
	dones   []chan struct{}
	tracked chan struct{}
}

func newRecorder() *recorder {
	return &recorder{tracked: make(chan struct{}, 16)}
}

// Track implements tracker.
func (r *recorder) Track(goingAway func()) func() {
	done := make(chan struct{})
	r.mu.Lock()
	r.byes = append(r.byes, goingAway)
	r.dones = append(r.dones, done)
	r.mu.Unlock()
	r.tracked <- struct{}{}
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

// goodbye returns the goodbye of the i-th connection tracked.
func (r *recorder) goodbye(i int) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byes[i]
}

// waitTracked waits until one more connection is tracked.
func (r *recorder) waitTracked(t *testing.T) {
	t.Helper()
	select {
	case <-r.tracked:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler never tracked its connection")
	}
}

// isDone returns the channel that is closed when the i-th connection's
// handler is done.
func (r *recorder) isDone(i int) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dones[i]
}

// waitDone waits up to within for the i-th connection's handler to finish
// and fails the test if it does not.
func (r *recorder) waitDone(t *testing.T, i int, within time.Duration) {
	t.Helper()
	select {
	case <-r.isDone(i):
	case <-time.After(within):
		t.Fatalf("the server still holds connection %d after %v", i, within)
	}
}

// startEcho serves s on a loopback port and returns its ws:// URL.
func startEcho(t *testing.T, s *echoHandler) string {
	t.Helper()
	if s.origins == nil {
		s.origins = &policy.Origins{}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// rawConn is a WebSocket client written frame by frame, so a test can send
// what no library would and see every frame the server sends.
type rawConn struct {
	net.Conn
	r *bufio.Reader
}

// dialRaw opens a WebSocket to wsURL by hand; extra header lines (e.g.
// "Origin: x") are sent as given. It fails the test unless the answer is 101.
func dialRaw(t *testing.T, wsURL string, extra ...string) *rawConn {
	t.Helper()
	c, resp := handshakeRaw(t, wsURL, extra...)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	return c
}

// handshakeRaw sends a handshake by hand and returns the connection and
// the server's answer, whatever it is.
func handshakeRaw(t *testing.T, wsURL string, extra ...string) (*rawConn, *http.Response) {
	t.Helper()
	host := strings.TrimPrefix(wsURL, "ws://")
	req := "GET / HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	for _, h := range extra {
		req += h + "\r\n"
	}
	return requestRaw(t, host, req+"\r\n")
}

// requestRaw sends req, as it is, over a new TCP connection to host and
// reads the response.
func requestRaw(t *testing.T, host, req string) (*rawConn, *http.Response) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", host, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = io.WriteString(nc, req)
	require.NoError(t, err)
	c := &rawConn{Conn: nc, r: bufio.NewReader(nc)}
	resp, err := http.ReadResponse(c.r, nil)
	require.NoError(t, err)
	nc.SetDeadline(time.Time{})
	return c, resp
}

// clientFrame returns one final, masked frame, as a client must send it.
func clientFrame(opcode byte, payload []byte) []byte {
	b := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n <= 125:
		b = append(b, 0x80|byte(n))
	case n < 1<<16:
		b = binary.BigEndian.AppendUint16(append(b, 0x80|126), uint16(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, 0x80|127), uint64(n))
	}
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	b = append(b, key[:]...)
	for i, x := range payload {
		b = append(b, x^key[i%4])
	}
	return b
}

// send writes frames to the server within a second.
func (c *rawConn) send(t *testing.T, frames ...[]byte) {
	t.Helper()
	c.SetWriteDeadline(time.Now().Add(time.Second))
	for _, f := range frames {
		_, err := c.Write(f)
		require.NoError(t, err)
	}
}

// readFrame reads one frame from the server, which sends them unmasked.
func (c *rawConn) readFrame() (opcode byte, payload []byte, err error) {
	var h [2]byte
	if _, err := io.ReadFull(c.r, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(c.r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(c.r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	payload = make([]byte, n)
	_, err = io.ReadFull(c.r, payload)
	return h[0] & 0x0f, payload, err
}

// answerClose reads frames until the server's close frame, answers it with
// the same code, as a well-behaved client does, waits for the server to
// hang up, and hangs up too.
func (c *rawConn) answerClose(t *testing.T) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(testBound))
	for {
		op, body, err := c.readFrame()
		require.NoError(t, err, "no close frame came")
		if op == 8 {
			_, _ = c.Write(clientFrame(8, body[:min(len(body), 2)])) // it may have hung up already
			break
		}
	}
	// EOF, or a reset if our answer reached a socket already closed.
	_, err := io.Copy(io.Discard, c.r)
	require.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the server did not hang up")
	c.Close()
}
