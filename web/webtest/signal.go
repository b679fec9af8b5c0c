package webtest

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exitWithin is how soon a server must exit after SIGINT or SIGTERM.
const exitWithin = 5 * time.Second

// SignalContract builds the command in the package directory pkgDir (e.g.
// "." from the package's own test), runs it as a real process on a loopback
// port, connects a WebSocket, and sends each of SIGINT and SIGTERM in turn:
// the client must get close code 1001 and the process must exit 0 within
// five seconds. The same binary must exit 2, without serving, on a mistake
// on its command line (see UsageContract).
func SignalContract(t *testing.T, pkgDir string) {
	bin := BuildServer(t, pkgDir)
	UsageContract(t, bin)
	RequireSignals(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			p := StartProcess(t, bin)
			c := DialGorilla(t, p.WS(), nil)
			require.NoError(t, p.Cmd.Process.Signal(sig))
			assert.Equal(t, websocket.CloseGoingAway, CloseCode(t, c))
			select {
			case err := <-p.Exited:
				assert.NoError(t, err, "the server should exit 0")
			case <-time.After(exitWithin):
				t.Fatalf("the server did not exit within %v of %v", exitWithin, sig)
			}
		})
	}
}

// UsageContract runs the server binary bin with mistakes on its command
// line: each must make it exit with status 2 (as the flag package's own
// usage errors do) and say what was wrong on stderr, before it listens.
func UsageContract(t *testing.T, bin string) {
	cases := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"an unknown flag", []string{"-no-such-flag"}, "flag provided but not defined"},
		{"-allow-origin without a scheme", []string{"-allow-origin", "localhost:3000"}, "http://localhost:3000"},
		{"-allow-origin *", []string{"-allow-origin", "*"}, "wildcards"},
		{"-allow-origin with a path", []string{"-allow-origin", "http://localhost:3000/app"}, "more than an origin"},
		{"-allow-host with a port", []string{"-allow-host", "mybox.lan:1234"}, "has a port"},
		{"an argument", []string{"extra"}, "takes flags only"},
	}
	for _, tc := range cases {
		t.Run("usage: "+tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, tc.args...)...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			done := make(chan error, 1)
			require.NoError(t, cmd.Start())
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(exitWithin):
				_ = cmd.Process.Kill()
				t.Fatalf("the server is still running; stdout: %s", stdout.String())
			}
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the server should fail")
			assert.Equal(t, 2, exit.ExitCode(), "exit status; stderr:\n%s", stderr.String())
			assert.Contains(t, stderr.String(), tc.stderr)
			assert.Empty(t, stdout.String(), "the server should not have started")
		})
	}
}
