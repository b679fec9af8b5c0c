package webtest

import (
	"bufio"
	"os/exec"
	"path/filepath"
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
// five seconds.
func SignalContract(t *testing.T, pkgDir string) {
	bin := filepath.Join(t.TempDir(), "server")
	build := exec.Command("go", "build", "-o", bin, pkgDir)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			exited := make(chan error, 1)
			t.Cleanup(func() { _ = cmd.Process.Kill() })

			lines := bufio.NewScanner(stdout)
			require.True(t, lines.Scan(), "the server printed nothing")
			base, ok := strings.CutPrefix(lines.Text(), "listening on ")
			require.True(t, ok, "first line was %q", lines.Text())
			go func() {
				for lines.Scan() {
				}
				exited <- cmd.Wait()
			}()

			c := DialGorilla(t, "ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
			require.NoError(t, cmd.Process.Signal(sig))
			assert.Equal(t, websocket.CloseGoingAway, CloseCode(t, c))
			select {
			case err := <-exited:
				assert.NoError(t, err, "the server should exit 0")
			case <-time.After(exitWithin):
				t.Fatalf("the server did not exit within %v of %v", exitWithin, sig)
			}
		})
	}
}
