package webtest

import (
	"bufio"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RefusedIsLogged is the CSWSH demo as an instructor projects it: it
// builds the command in pkgDir, runs it as a real process (its stderr is
// the terminal), and opens a WebSocket to /ws from a page of another site
// (Origin: http://evil.example). The page sees the handshake fail; the
// server must answer 403 Forbidden and print one log line saying so
// (serve.LogRefused: "refused status=403"), naming the origin, within
// five seconds.
func RefusedIsLogged(t *testing.T, pkgDir string, args ...string) {
	bin := BuildServer(t, pkgDir)
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	logged := make(chan string, 64)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			select {
			case logged <- lines.Text():
			default: // a test that stopped reading
			}
		}
		close(logged)
	}()
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the server printed nothing")
	base, ok := strings.CutPrefix(lines.Text(), "listening on ")
	require.True(t, ok, "first line was %q", lines.Text())
	go func() {
		for lines.Scan() {
		}
	}()

	resp := RawHandshake(t, base, "/ws", "dGhlIHNhbXBsZSBub25jZQ==", "http://evil.example")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a cross-site handshake is refused with 403")

	deadline := time.After(5 * time.Second)
	var seen []string
	for {
		select {
		case line, open := <-logged:
			if !open {
				t.Fatalf("the server exited without logging the refusal; it printed %q", seen)
			}
			seen = append(seen, line)
			if strings.Contains(line, "refused") && strings.Contains(line, "status=403") {
				assert.Contains(t, line, "evil.example", "the log line names the origin refused")
				assert.Contains(t, line, "path=/ws")
				return
			}
		case <-deadline:
			t.Fatalf("no \"refused status=403\" line on the terminal within 5 s; it printed %q", seen)
		}
	}
}
