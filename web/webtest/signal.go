package webtest

import (
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
	bin := BuildServer(t, pkgDir)
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
