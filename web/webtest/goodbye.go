package webtest

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodbyeClients is how many WebSockets GoodbyeContract opens, one of them
// stalled.
const goodbyeClients = 40

// Goodbye is what GoodbyeContract needs to know about a server: how to
// make its writer stall, and how to see that it serves a client.
type Goodbye struct {
	// Stall makes the server's writes to the WebSocket c block, and
	// returns once they do (or fails the test). c never reads, so it is
	// enough to have the server queue more for c than the socket buffers
	// between them hold. base is the server's URL, e.g.
	// http://127.0.0.1:41234.
	Stall func(t *testing.T, base string, c *websocket.Conn)
	// Serving returns once the server's handler serves every one of
	// clients (so that it has tracked each for shutdown), or fails the
	// test. It may leave data messages unread: they are discarded.
	Serving func(t *testing.T, base string, clients []*websocket.Conn)
}

// EchoGoodbye is Goodbye for the echo servers: StallEcho, and one echo on
// every client.
var EchoGoodbye = Goodbye{Stall: StallEcho, Serving: EchoServing}

// ANCHOR: goodbye_contract

// GoodbyeContract holds a server to its goodbye under load: one client
// that has stopped reading must not keep the close 1001 from the others.
// It builds the command in pkgDir, runs it as a real process on a loopback
// port (with args after -addr), opens a WebSocket and stalls it with
// g.Stall, opens 39 more and waits until g.Serving sees them served, and
// sends SIGTERM: at least 39 of the 40 clients must get close 1001, and
// the process must exit 0, within five seconds.
func GoodbyeContract(t *testing.T, pkgDir string, g Goodbye, args ...string) {
	RequireSignals(t)
	p := StartProcess(t, BuildServer(t, pkgDir), args...)

	stalled := DialGorilla(t, p.WS(), nil)
	g.Stall(t, p.URL, stalled)

	clients := make([]*websocket.Conn, goodbyeClients-1)
	for i := range clients {
		clients[i] = DialGorilla(t, p.WS(), nil)
	}
	g.Serving(t, p.URL, clients)
	codes := make(chan int, len(clients))
	for _, c := range clients {
		go func() { codes <- closeCodeOf(c) }()
	}

	require.NoError(t, p.Cmd.Process.Signal(syscall.SIGTERM))
	deadline := time.After(exitWithin)
	var got []int
	for len(got) < goodbyeClients-1 {
		select {
		case code := <-codes:
			got = append(got, code)
			continue
		case <-deadline:
		}
		break
	}
	goingAway := 0
	for _, code := range got {
		if code == websocket.CloseGoingAway {
			goingAway++
		}
	}
	assert.GreaterOrEqual(t, goingAway, goodbyeClients-1,
		"of %d clients, one stalled, only %d got close 1001 within %v (close codes: %v)",
		goodbyeClients, goingAway, exitWithin, got)
	select {
	case err := <-p.Exited:
		assert.NoError(t, err, "the server should exit 0")
	case <-deadline:
		t.Fatalf("the server did not exit within %v of SIGTERM", exitWithin)
	}
}

// ANCHOR_END: goodbye_contract

// closeCodeOf reads c, discarding data messages, until the server's close
// frame arrives, and returns its code: 0 if the connection ended without
// one, -1 if nothing came within ioTimeout.
func closeCodeOf(c *websocket.Conn) int {
	_ = c.SetReadDeadline(time.Now().Add(ioTimeout))
	for {
		_, _, err := c.ReadMessage()
		var ce *websocket.CloseError
		switch {
		case errors.As(err, &ce):
			return ce.Code
		case isTimeout(err):
			return -1
		case err != nil:
			return 0
		}
	}
}

// EchoServing sends one message on every client and reads its echo: then
// each client's handler is in its loop, and has been tracked.
func EchoServing(t *testing.T, _ string, clients []*websocket.Conn) {
	for _, c := range clients {
		echoOnce(t, c, websocket.TextMessage, []byte("still here"))
	}
}

// isTimeout reports whether err is a deadline's. (gorilla hides the
// net.OpError, and so os.ErrDeadlineExceeded, behind a net.Error of its own.)
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// stallMessage is the size of each message StallEcho sends: big enough to
// fill the buffers in a few writes, well under the echo servers' 1 MiB.
const stallMessage = 256 << 10

// stallMost is how much StallEcho sends, at most, before it gives up.
const stallMost = 256 << 20

// StallEcho stalls an echo server's writer: it sends binary messages on c
// and never reads the echoes. Once the echoes fill the buffers towards c,
// the server's write blocks; the server stops reading while it waits, so
// our buffers fill next, and our own write blocks. StallEcho returns when
// a write has blocked for a second: by then the server's writer is stuck.
func StallEcho(t *testing.T, _ string, c *websocket.Conn) {
	msg := []byte(strings.Repeat("s", stallMessage))
	for sent := 0; sent < stallMost; sent += len(msg) {
		_ = c.SetWriteDeadline(time.Now().Add(time.Second))
		err := c.WriteMessage(websocket.BinaryMessage, msg)
		if isTimeout(err) {
			t.Logf("stalled after sending %d KiB", sent>>10)
			return
		}
		require.NoError(t, err, "stalling: a write failed after %d KiB", sent>>10)
	}
	require.Fail(t, fmt.Sprintf("stalling: %d MiB went through and the writes never blocked", stallMost>>20))
}
