package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// attackers is how many connections TestClaimedLengthsCostNothing opens at
// once, waves how many times.
const attackers, waves = 1000, 3

// TestClaimedLengthsCostNothing runs the real server and opens 1,000
// WebSocket connections, each of which sends a frame header that claims
// 1 MiB and then one byte of payload, and stops. Memory must follow the
// bytes received, not the bytes claimed: the server's peak resident memory
// may rise by less than 64 MiB (before the fix: from 25 MB to 1.3 GB).
func TestClaimedLengthsCostNothing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the server's memory from /proc/PID/status (Linux only)")
	}
	cmd, addr := startBinary(t)
	before := procStatus(t, cmd.Process.Pid, "VmRSS")
	attack := claimedLengthAttack()
	// Waves: each after the first finds the memory the first one freed, which the
	// runtime must clear before reuse, so claimed bytes become resident.
	for range waves {
		conns := make([]net.Conn, 0, attackers)
		for range attackers {
			c := handshakeRaw(t, addr)
			conns = append(conns, c)
			_, err := c.Write(attack)
			require.NoError(t, err)
		}
		// One more client's echo: the server has read what came before it.
		probe := handshakeRaw(t, addr)
		_, err := probe.Write([]byte{0x82, 0x80 | 1, 0, 0, 0, 0, 'p'})
		require.NoError(t, err)
		var echo [3]byte
		_, err = io.ReadFull(probe, echo[:])
		require.NoError(t, err)
		probe.Close()
		for _, c := range conns {
			c.Close()
		}
	}
	peak := procStatus(t, cmd.Process.Pid, "VmHWM")
	t.Logf("resident memory: %d KiB before the attack, peak %d KiB", before, peak)
	assert.Less(t, peak-before, int64(64<<10), "KiB the attack added to the server's peak memory")
}

// claimedLengthAttack is the frame each attacker sends: a header that
// claims 1 MiB, its masking key, and one byte of the payload.
func claimedLengthAttack() []byte {
	attack := []byte{0x82, 0x80 | 127}
	attack = binary.BigEndian.AppendUint64(attack, 1<<20)
	return append(attack, 1, 2, 3, 4, 'x') // masking key, one byte of payload
}

// TestClaimedLengthAttackBytes writes the attack's bytes, as the chapter
// shows them, each part beside what handshake.ParseFrameHeader reads in
// it: -update rewrites testdata/claimed-length.txt.
func TestClaimedLengthAttackBytes(t *testing.T) {
	attack := claimedLengthAttack()
	h, n, err := handshake.ParseFrameHeader(attack)
	require.NoError(t, err)
	require.Equal(t, uint64(1<<20), h.Length)
	require.Equal(t, 1, len(attack)-n, "one byte of payload after the header")
	row := func(b []byte, what string) string { return fmt.Sprintf("%-32s%s\n", fmt.Sprintf("% X", b), what) }
	bit := map[bool]int{false: 0, true: 1}
	got := row(attack[:n-4], fmt.Sprintf("%s, FIN %d, MASK %d, %d-bit length %#x = %d MiB",
		h.Opcode.Name(), bit[h.Fin], bit[h.Masked], h.LengthBits, h.Length, h.Length>>20)) +
		row(attack[n-4:n], "masking key") +
		row(attack[n:], "one byte of payload, then silence")
	webtest.Golden(t, "claimed-length.txt", got, *updateGolden)
}

// startBinary builds and starts the server on a loopback port, and returns
// the process and its host:port.
func startBinary(t *testing.T) (*exec.Cmd, string) {
	bin := filepath.Join(t.TempDir(), "echo")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the server printed nothing")
	base, ok := strings.CutPrefix(lines.Text(), "listening on http://")
	require.True(t, ok, "first line was %q", lines.Text())
	return cmd, base
}

// handshakeRaw opens a TCP connection and completes a WebSocket handshake
// on it by hand.
func handshakeRaw(t *testing.T, addr string) net.Conn {
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(30 * time.Second))
	_, err = c.Write([]byte("GET /ws HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	require.NoError(t, err)
	want := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		handshake.AcceptKey("dGhlIHNhbXBsZSBub25jZQ==") + "\r\n\r\n"
	got := make([]byte, len(want))
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	require.Equal(t, want, string(got))
	return c
}

// procStatus returns a "kB" field of /proc/PID/status, in KiB.
func procStatus(t *testing.T, pid int, field string) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	require.NoError(t, err)
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			require.NoError(t, err)
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
