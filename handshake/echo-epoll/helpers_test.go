//go:build linux

package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/handshake/conformance"
)

// start runs the server as a process on addr with extra flags, stopped
// (and required to exit 0) when the test ends.
func start(t *testing.T, addr string, flags ...string) *conformance.Process {
	t.Helper()
	p, err := conformance.StartCommand(bin, append([]string{"-addr", addr}, flags...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Stop()) })
	return p
}

// hostOf is a process's host:port.
func hostOf(p *conformance.Process) string { return strings.TrimPrefix(p.URL, "http://") }

// fds counts a process's open sockets: every connection is one. (Not
// every descriptor: the Go runtime may open descriptors of its own later,
// an epoll instance and an eventfd for its timers; the measurement saw
// two more per process after a while.)
func fds(t *testing.T, pid int) int {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	n := 0
	for _, e := range entries {
		if link, err := os.Readlink(dir + "/" + e.Name()); err == nil && strings.HasPrefix(link, "socket:") {
			n++
		}
	}
	return n
}

// client is a raw WebSocket client after the handshake.
type client struct {
	net.Conn
	r *bufio.Reader
}

// dial upgrades a TCP connection to addr on path.
func dial(t *testing.T, addr, path string) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return upgrade(t, conn, addr, path)
}

// upgrade sends the opening handshake for path on conn, a connection to
// addr (TCP, or TLS), and requires the 101.
func upgrade(t *testing.T, conn net.Conn, addr, path string) *client {
	t.Helper()
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])
	_, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", path, addr, key)
	require.NoError(t, err)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	require.Equal(t, handshake.AcceptKey(key), resp.Header.Get("Sec-WebSocket-Accept"))
	conn.SetReadDeadline(time.Time{})
	return &client{Conn: conn, r: r}
}

// frame encodes a masked client frame.
func frame(fin bool, op handshake.Opcode, payload []byte) []byte {
	key := [4]byte{0x11, 0x22, 0x33, 0x44}
	b := handshake.AppendFrameHeader(nil, handshake.FrameHeader{Fin: fin, Opcode: op, Masked: true, Key: key, Length: uint64(len(payload))})
	start := len(b)
	b = append(b, payload...)
	handshake.ApplyMask(key, 0, b[start:])
	return b
}

// read reads one server frame, within 5 s.
func (c *client) read(t *testing.T) (handshake.Opcode, []byte) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	head := make([]byte, 2, handshake.MaxFrameHeaderLen)
	_, err := io.ReadFull(c.r, head)
	require.NoError(t, err)
	for {
		h, n, err := handshake.ParseFrameHeader(head)
		if err == nil {
			require.False(t, h.Masked, "a server frame is never masked")
			require.Equal(t, n, len(head))
			payload := make([]byte, h.Length)
			_, err := io.ReadFull(c.r, payload)
			require.NoError(t, err)
			return h.Opcode, payload
		}
		b, err := c.r.ReadByte()
		require.NoError(t, err)
		head = append(head, b)
	}
}

// echo sends a binary message and requires its exact echo.
func (c *client) echo(t *testing.T, payload []byte) {
	t.Helper()
	_, err := c.Write(frame(true, handshake.OpBinary, payload))
	require.NoError(t, err)
	op, got := c.read(t)
	require.Equal(t, handshake.OpBinary, op)
	require.Equal(t, payload, got)
}

// waitClosed requires the server to close the connection within 5 s: a
// read ends with EOF or a reset, not a timeout, after any bytes still due.
func waitClosed(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok {
		require.False(t, ne.Timeout(), "the server did not close the connection")
	}
}
