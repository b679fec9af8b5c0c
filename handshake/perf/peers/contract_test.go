package peers

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake/perf/peers/contract"
)

// servers are the mains of this module, as handshake/perf runs them.
var servers = []struct {
	name, pkg string
	args      []string
	// dropsEmpty: the library never hands an empty message to the
	// server. nbio v1.6.8's parser calls OnMessage only for a message
	// buffer it allocated, and an empty message allocates none
	// (nbhttp/websocket/conn.go, Parse).
	dropsEmpty bool
}{
	{"coder", "./coder", nil, false},
	{"gobwas", "./gobwas", nil, false},
	{"nbio", "./nbio", nil, true},
	{"nbio -inline", "./nbio", []string{"-inline"}, true},
}

// TestContract builds every peer server, starts it as a process on
// loopback, and holds it to the contract handshake/perf relies on: the
// "listening on" line, /ws and /echo answering as package contract says,
// a message over the limit refused rather than echoed, an unknown path
// refused, and exit status 0 on SIGTERM.
func TestContract(t *testing.T) {
	dir := t.TempDir()
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			bin := filepath.Join(dir, strings.ReplaceAll(s.name, " ", ""))
			out, err := exec.Command("go", "build", "-o", bin, s.pkg).CombinedOutput()
			require.NoError(t, err, "%s", out)
			cmd, addr := start(t, bin, s.args...)

			big := bytes.Repeat([]byte{'b'}, 64<<10)
			cases := []struct {
				path     string
				typ      websocket.MessageType
				send     []byte
				wantBack []byte
			}{
				{"/ws", websocket.MessageText, []byte("Hello"), []byte("Received: Hello")},
				{"/ws", websocket.MessageBinary, []byte{0, 1, 2, 0xff}, []byte{0, 1, 2, 0xff}},
				{"/ws", websocket.MessageBinary, big, big},
				{"/echo", websocket.MessageText, []byte("Hello"), []byte("Hello")},
				{"/echo", websocket.MessageBinary, big, big},
			}
			for _, tc := range cases {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				c, _, err := websocket.Dial(ctx, "ws://"+addr+tc.path, nil)
				require.NoError(t, err, tc.path)
				c.SetReadLimit(2 * contract.MaxMessage)
				require.NoError(t, c.Write(ctx, tc.typ, tc.send))
				typ, got, err := c.Read(ctx)
				require.NoError(t, err, "%s: the echo of %d bytes", tc.path, len(tc.send))
				assert.Equal(t, tc.typ, typ, tc.path)
				assert.True(t, bytes.Equal(tc.wantBack, got), "%s: sent %d bytes, got %d back", tc.path, len(tc.send), len(got))
				c.CloseNow()
				cancel()
			}

			t.Run("an empty message", func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
				require.NoError(t, err)
				defer c.CloseNow()
				require.NoError(t, c.Write(ctx, websocket.MessageText, nil))
				require.NoError(t, c.Write(ctx, websocket.MessageText, []byte("after")))
				_, got, err := c.Read(ctx)
				require.NoError(t, err)
				want := "Received: " // the echo of the empty message comes first
				if s.dropsEmpty {
					want = "Received: after"
				}
				assert.Equal(t, want, string(got))
			})

			t.Run("a message over the limit is not echoed", func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
				require.NoError(t, err)
				defer c.CloseNow()
				c.SetReadLimit(2 * contract.MaxMessage)
				_ = c.Write(ctx, websocket.MessageBinary, make([]byte, contract.MaxMessage+1))
				_, got, err := c.Read(ctx)
				require.Error(t, err, "an echo of %d bytes came back", len(got))
				assert.False(t, errors.Is(err, context.DeadlineExceeded), "the server neither echoed nor closed: %v", err)
			})

			t.Run("an unknown path is refused", func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, resp, err := websocket.Dial(ctx, "ws://"+addr+"/nowhere", nil)
				require.Error(t, err)
				require.NotNil(t, resp, "the server should answer with an HTTP status: %v", err)
				assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			})

			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			assert.NoError(t, waitExit(cmd), "%s should exit 0 on SIGTERM", s.name)
		})
	}
}

// start runs bin on a free loopback port and returns its host:port, from
// the line it prints.
func start(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	addrs := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if u, ok := strings.CutPrefix(lines.Text(), "listening on http://"); ok {
				addrs <- u
			}
		}
		close(addrs)
	}()
	select {
	case addr, ok := <-addrs:
		require.True(t, ok, "%s exited before printing its address", bin)
		return cmd, addr
	case <-time.After(10 * time.Second):
		t.Fatalf("%s printed no listening line in 10 s", bin)
		return nil, ""
	}
}

// waitExit waits for cmd to exit, at most 10 s.
func waitExit(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		return errors.New("still running 10 s after SIGTERM")
	}
}
