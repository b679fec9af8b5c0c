package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/polling/events"
)

// ANCHOR: rss_test
// TestStalledReadersCostLittleMemory is the attack of issue 10 against the
// real binary: fill the ring with 1,024 events of 64 KiB of "<" (which
// HTML-escaping JSON would turn into \u003c, six bytes each), then let four
// clients ask for everything and never read the answer (or, on /ws, the
// backlog, on /sse the stream). The server's
// resident memory may grow by less than 64 MiB. Before answers were bounded
// it grew by about 2.7 GB, and stayed there for as long as the clients did.
func TestStalledReadersCostLittleMemory(t *testing.T) {
	const clients, bound = 4, 64 << 20
	paths := []string{"/poll?since=0", "/longpoll?since=0", "/sse?since=0", "/ws?since=0"}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			base, pid := startBinary(t, "-tick", "0")
			fillRing(t, base)
			before := rss(t, pid)
			for range clients {
				stall(t, base, path)
			}
			after := rss(t, pid)
			t.Logf("VmRSS before %d MiB, after %d MiB", before>>20, after>>20)
			assert.Less(t, after-before, int64(bound),
				"four stalled readers grew the server by %d MiB", (after-before)>>20)
		})
	}
}

// ANCHOR_END: rss_test

// startBinary builds the lab and runs it as a process on a loopback port
// until the test ends. It returns the base URL and the process id.
func startBinary(t *testing.T, args ...string) (string, int) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "polling")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the server printed nothing")
	base, ok := strings.CutPrefix(lines.Text(), "listening on ")
	require.True(t, ok, "first line was %q", lines.Text())
	go func() {
		for lines.Scan() {
		}
	}()
	return base, cmd.Process.Pid
}

// fillRing publishes events.DefaultCapacity events of 64 KiB of "<".
func fillRing(t *testing.T, base string) {
	t.Helper()
	data := strings.Repeat("<", events.MaxPublishBytes)
	c := &http.Client{Timeout: 10 * time.Second}
	for range events.DefaultCapacity {
		resp, err := c.Post(base+"/publish", "text/plain", strings.NewReader(data))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
}

// stall sends GET path (a WebSocket handshake for /ws) on a raw TCP
// connection and never reads: it returns
// once the answer has started to arrive in the socket's receive buffer
// (which it sees with the FIONREAD ioctl, without reading), that is, once
// the server has built the answer and is stuck writing it. The connection
// stays open until the test ends.
func stall(t *testing.T, base, path string) {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	upgrade := ""
	if strings.HasPrefix(path, "/ws") {
		upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	}
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n", path, host, upgrade)
	require.NoError(t, err)
	raw, err := conn.(*net.TCPConn).SyscallConn()
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		var queued int32
		var errno syscall.Errno
		err := raw.Control(func(fd uintptr) {
			_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&queued)))
		})
		return err == nil && errno == 0 && queued > 0
	}, 2*time.Minute, 10*time.Millisecond, "no answer to %s began to arrive within two minutes", path)
}

// rss reads the process's resident set size from /proc/PID/status.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS in /proc/PID/status")
	return 0
}
