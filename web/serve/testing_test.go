package serve

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ioTimeout bounds every read and write the tests make, so that a server
// that fails to answer fails the test instead of hanging it.
const ioTimeout = 10 * time.Second

// start runs srv (which should listen on 127.0.0.1:0) until the test ends
// and returns the host:port it listens on.
func start(t *testing.T, srv *Server) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(lines, 1)
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx, out) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-ran)
	})
	select {
	case line := <-out:
		u, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on http://")
		require.True(t, ok, "first line was %q", line)
		return u
	case err := <-ran:
		t.Fatalf("the server did not start: %v", err)
	case <-time.After(ioTimeout):
		t.Fatal("the server did not print its listening line")
	}
	return ""
}

// response is an HTTP response with its body read.
type response struct {
	*http.Response
	body string
}

// rawRequest sends req, written out by hand, over a new TCP connection to
// addr and returns the response. The connection is closed when the test
// ends.
func rawRequest(t *testing.T, addr, req string) response {
	t.Helper()
	conn := dial(t, addr)
	_, err := io.WriteString(conn, req)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{resp, string(body)}
}

// dial opens a TCP connection to addr, with ioTimeout as its deadline, that
// is closed when the test ends.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(ioTimeout)))
	return conn
}
