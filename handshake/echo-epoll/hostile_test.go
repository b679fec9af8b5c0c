//go:build linux

package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/handshake/conformance"
)

// TestReusePortSharesConnections starts two processes on one port and
// opens 200 connections: the kernel gives both some, and each connection
// is one descriptor in exactly one of them.
func TestReusePortSharesConnections(t *testing.T) {
	a := start(t, "127.0.0.1:0")
	b := start(t, hostOf(a))
	baseA, baseB := fds(t, a.PID()), fds(t, b.PID())
	for i := range 200 {
		c := dial(t, hostOf(a), "/echo")
		c.echo(t, []byte(fmt.Sprint("hello ", i)))
	}
	gotA, gotB := fds(t, a.PID())-baseA, fds(t, b.PID())-baseB
	assert.Equal(t, 200, gotA+gotB)
	assert.Positive(t, gotA, "the first process got no connection")
	assert.Positive(t, gotB, "the second process got no connection")
}

// TestHalfFrameThenGone: a client sends half a frame and hangs up, or
// falls silent; either way the server closes the connection and lets go
// of its buffer, and another client is served meanwhile.
func TestHalfFrameThenGone(t *testing.T) {
	p := start(t, "127.0.0.1:0", "-read-wait", "200ms")
	base := fds(t, p.PID())
	half := frame(true, handshake.OpBinary, bytes.Repeat([]byte("x"), 1000))[:500]

	hangsUp := dial(t, hostOf(p), "/echo")
	_, err := hangsUp.Write(half)
	require.NoError(t, err)
	hangsUp.Close()

	silent := dial(t, hostOf(p), "/echo")
	_, err = silent.Write(half)
	require.NoError(t, err)

	dial(t, hostOf(p), "/echo").echo(t, []byte("still here"))
	waitClosed(t, silent)
	require.Eventually(t, func() bool { return fds(t, p.PID()) == base+1 }, 5*time.Second, 10*time.Millisecond,
		"both half-frame connections should be closed, the good one open")
}

// TestNeverReads: a client that sends big messages and never reads its
// echoes fills its socket; the server stops reading it, keeps serving
// others, and closes it when the write wait runs out.
func TestNeverReads(t *testing.T) {
	p := start(t, "127.0.0.1:0", "-write-wait", "300ms")
	base := fds(t, p.PID())
	hog := dial(t, hostOf(p), "/echo")
	msg := frame(true, handshake.OpBinary, bytes.Repeat([]byte("h"), 64<<10))
	// What the kernel may hold before the server need read: the client's
	// send buffer and the server's receive buffer on the way in, the
	// server's send buffer and the client's receive buffer on the way out
	// (the echoes). Loopback autotunes them up to these maxima (32 MiB of
	// receive buffer on this machine), so a fixed 16 MiB bound failed in CI.
	bound := 2*(maxBuffer(t, "tcp_rmem")+maxBuffer(t, "tcp_wmem")) + 16<<20
	sent := make(chan int, 1)
	stopped := make(chan error, 1)
	go func() {
		total := 0
		for {
			hog.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if _, err := hog.Write(msg); err != nil {
				stopped <- err
				return
			}
			if total += len(msg); total >= bound {
				select {
				case sent <- total:
				default:
				}
			}
		}
	}()
	select {
	case <-sent:
		t.Fatalf("%d MiB, more than every socket buffer holds, went into a connection whose echoes nobody reads: the server kept reading it", bound>>20)
	case err := <-stopped:
		var ne net.Error
		if assert.ErrorAs(t, err, &ne) {
			assert.False(t, ne.Timeout(), "the server neither read nor closed: %v", err)
		}
	}
	dial(t, hostOf(p), "/echo").echo(t, []byte("others are served"))
	require.Eventually(t, func() bool { return fds(t, p.PID()) == base+1 }, 5*time.Second, 10*time.Millisecond)
}

// TestFlood: a client that sends 5,000 messages in one burst gets 5,000
// echoes, in order, and a client beside it is answered meanwhile.
func TestFlood(t *testing.T) {
	p := start(t, "127.0.0.1:0")
	flood := dial(t, hostOf(p), "/ws")
	var burst bytes.Buffer
	for i := range 5000 {
		burst.Write(frame(true, handshake.OpText, fmt.Appendf(nil, "message %d", i)))
	}
	written := make(chan error, 1)
	go func() { _, err := flood.Write(burst.Bytes()); written <- err }()
	dial(t, hostOf(p), "/echo").echo(t, []byte("me too"))
	for i := range 5000 {
		op, got := flood.read(t)
		require.Equal(t, handshake.OpText, op)
		require.Equal(t, fmt.Sprintf("Received: message %d", i), string(got))
	}
	require.NoError(t, <-written)
}

// TestLimits: the server's answers to frames it refuses, and to a slow
// handshake.
func TestLimits(t *testing.T) {
	p := start(t, "127.0.0.1:0", "-max-message", "1000", "-handshake-wait", "200ms")
	for _, tc := range []struct {
		name   string
		frames [][]byte
		code   int
	}{
		{"a frame over the limit", [][]byte{frame(true, handshake.OpBinary, make([]byte, 1001))[:20]}, handshake.CloseTooBig},
		{"fragments over the limit", [][]byte{frame(false, handshake.OpBinary, make([]byte, 600)), frame(true, handshake.OpContinuation, make([]byte, 401))[:20]}, handshake.CloseTooBig},
		{"a forged 64-bit length", [][]byte{{0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}}, handshake.CloseProtocolError},
		{"an unmasked frame", [][]byte{{0x81, 0x01, 'x'}}, handshake.CloseProtocolError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, hostOf(p), "/echo")
			for _, f := range tc.frames {
				_, err := c.Write(f)
				require.NoError(t, err)
			}
			op, body := c.read(t)
			require.Equal(t, handshake.OpClose, op)
			code, _, err := handshake.ParseCloseBody(body)
			require.NoError(t, err)
			assert.Equal(t, tc.code, code)
			waitClosed(t, c)
		})
	}
	t.Run("a handshake that never ends", func(t *testing.T) {
		c, err := net.Dial("tcp", hostOf(p))
		require.NoError(t, err)
		defer c.Close()
		_, err = c.Write([]byte("GET /echo HTTP/1.1\r\nHost: x\r\n"))
		require.NoError(t, err)
		waitClosed(t, c)
	})
}

// TestRefusals: a handshake that breaks a rule of RFC 6455 §4.2.1 gets the
// status handshake.Upgrade gives it, and the connection closes.
func TestRefusals(t *testing.T) {
	p := start(t, "127.0.0.1:0")
	good := "GET /ws HTTP/1.1\r\nHost: HOST\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	for _, tc := range []struct{ name, request, status string }{
		{"not found", strings.Replace(good, "/ws", "/nope", 1), "404"},
		{"POST", strings.Replace(good, "GET", "POST", 1), "405"},
		{"HTTP/1.0", strings.Replace(good, "HTTP/1.1", "HTTP/1.0", 1), "400"},
		{"no Upgrade", strings.Replace(good, "Upgrade: websocket\r\n", "", 1), "400"},
		{"short key", strings.Replace(good, "dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=", 1), "400"},
		{"version 8", strings.Replace(good, "Version: 13", "Version: 8", 1), "426"},
		{"cross origin", good + "Origin: http://evil.example\r\n", "403"},
		{"a head over 4 KiB", good + "X-Padding: " + strings.Repeat("p", 5000) + "\r\n", "431"},
		{"4 KiB and no end yet", good + "X-Padding: " + strings.Repeat("p", 5000), "431"},
		{"a broken header line", good + "no colon here\r\n", "400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", hostOf(p))
			require.NoError(t, err)
			defer c.Close()
			_, err = c.Write([]byte(strings.ReplaceAll(tc.request, "HOST", hostOf(p)) + "\r\n"))
			require.NoError(t, err)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			var resp bytes.Buffer
			_, _ = resp.ReadFrom(c) // the server closes after its answer
			assert.True(t, strings.HasPrefix(resp.String(), "HTTP/1.1 "+tc.status+" "), "got %q", resp.String())
		})
	}
}

// TestGoodbye: on SIGTERM every open connection gets a close frame with
// 1001, and the process exits 0.
func TestGoodbye(t *testing.T) {
	p, err := conformance.StartCommand(bin, "-addr", "127.0.0.1:0")
	require.NoError(t, err)
	c := dial(t, hostOf(p), "/echo")
	c.echo(t, []byte("before"))
	require.NoError(t, p.Stop())
	op, body := c.read(t)
	require.Equal(t, handshake.OpClose, op)
	code, reason, err := handshake.ParseCloseBody(body)
	require.NoError(t, err)
	assert.Equal(t, handshake.CloseGoingAway, code)
	assert.Equal(t, "server shutting down", reason)
}

// maxBuffer is the largest size, in bytes, the kernel lets a TCP socket's
// buffer of this kind grow to: the third field of
// /proc/sys/net/ipv4/tcp_rmem or tcp_wmem.
func maxBuffer(t *testing.T, name string) int {
	t.Helper()
	data, err := os.ReadFile("/proc/sys/net/ipv4/" + name)
	require.NoError(t, err)
	fields := strings.Fields(string(data))
	require.Len(t, fields, 3, "%s: %q", name, data)
	n, err := strconv.Atoi(fields[2])
	require.NoError(t, err)
	return n
}
