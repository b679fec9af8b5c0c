package webtest

import (
	"bufio"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// BuildServer builds the command in the package directory pkgDir (e.g. "."
// from the package's own test) into the test's temporary directory and
// returns the binary's path.
func BuildServer(t testing.TB, pkgDir string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "server")
	out, err := exec.Command("go", "build", "-o", bin, pkgDir).CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// Process is a server binary running as a real process, started by
// StartProcess.
type Process struct {
	// URL is the base URL the server printed, e.g. http://127.0.0.1:41234
	// (https:// with TLS).
	URL string
	// Before is what the server printed before its "listening on" line,
	// one string a line: with TLS, the certificate's fingerprints.
	Before []string
	// Cmd is the running command.
	Cmd *exec.Cmd
	// Exited receives cmd.Wait's result once the process has exited.
	Exited <-chan error
}

// WS returns the URL of the server's WebSocket endpoint: ws://HOST:PORT/ws
// (wss:// with TLS).
func (p *Process) WS() string {
	return "ws" + strings.TrimPrefix(p.URL, "http") + "/ws"
}

// StartProcess runs bin with "-addr 127.0.0.1:0" followed by args, and
// waits for its line "listening on http://HOST:PORT" (or https://), the
// first but for the "tls: " lines (and their indented continuations) a
// server with TLS prints before it. The process is killed when the test
// ends, if it is still running.
func StartProcess(t testing.TB, bin string, args ...string) *Process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	lines := bufio.NewScanner(stdout)
	var before []string
	for {
		require.True(t, lines.Scan(), "the server printed no \"listening on\" line, only %q", before)
		// A "tls: " line, or one that goes on from it, indented.
		tls := strings.HasPrefix(lines.Text(), "tls: ") || len(before) > 0 && strings.HasPrefix(lines.Text(), " ")
		if !tls {
			break
		}
		before = append(before, lines.Text())
	}
	base, ok := strings.CutPrefix(lines.Text(), "listening on ")
	require.True(t, ok, "first line but for tls: lines was %q", lines.Text())
	exited := make(chan error, 1)
	go func() {
		for lines.Scan() {
		}
		// A line longer than the Scanner's limit stops it; keep reading,
		// or the process blocks writing to a full pipe.
		_, _ = io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	return &Process{URL: base, Before: before, Cmd: cmd, Exited: exited}
}
