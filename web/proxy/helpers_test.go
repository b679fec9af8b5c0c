package proxy

import (
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// ioTimeout bounds every dial, read and write of these tests.
const ioTimeout = 10 * time.Second

// echoServers are the workbook's three echo servers, built from their
// folders: each is tested behind each proxy.
var echoServers = []struct{ name, dir string }{
	{"handshake/echo", "../../handshake/echo"},
	{"echo-xnet", "../../echo-xnet"},
	{"echo-gorilla", "../../echo-gorilla"},
}

var (
	binsMu sync.Mutex
	bins   = map[string]string{} // built binaries, by folder, for the whole run
)

// startEcho builds (once per run) and starts the echo server in dir, as a
// process with the given flags, and returns its host:port.
func startEcho(t *testing.T, dir string, args ...string) string {
	t.Helper()
	binsMu.Lock()
	bin, ok := bins[dir]
	binsMu.Unlock()
	if !ok {
		bin = buildOnce(t, dir)
	}
	p := webtest.StartProcess(t, bin, args...)
	return strings.TrimPrefix(p.URL, "http://")
}

// buildOnce builds dir into a directory that outlives the test (removed at
// the end of the run by TestMain).
func buildOnce(t *testing.T, dir string) string {
	t.Helper()
	binsMu.Lock()
	defer binsMu.Unlock()
	if bin, ok := bins[dir]; ok {
		return bin
	}
	bin := webtest.BuildServer(&keepTemp{T: t}, dir)
	bins[dir] = bin
	return bin
}

// keepTemp is a testing.TB whose TempDir outlives the test: a new
// directory in the run's own, so that a binary is built once for every
// test.
type keepTemp struct{ *testing.T }

func (k *keepTemp) TempDir() string {
	dir, err := os.MkdirTemp(runDir, "bin-")
	require.NoError(k.T, err)
	return dir
}

// outcome is what a WebSocket client got through a proxy.
type outcome struct {
	status int    // the handshake's status; 0 if there was no response
	body   string // the response's body, when it was refused
	echo   string // the echo of "hello", when it opened
	err    error  // what the dial said, when it failed
}

// dialEcho opens a WebSocket to wsURL with the given Origin ("" for none)
// and, if it opens, echoes "hello" once.
func dialEcho(t *testing.T, wsURL, origin string) outcome {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	c, resp, err := (&websocket.Dialer{HandshakeTimeout: ioTimeout}).Dial(wsURL, h)
	var o outcome
	if resp != nil {
		o.status = resp.StatusCode
	}
	if err != nil {
		o.err = err
		if resp != nil {
			b, _ := io.ReadAll(resp.Body)
			o.body = strings.TrimSpace(string(b))
		}
		return o
	}
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte("hello")))
	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	o.echo = string(msg)
	return o
}

// without returns conf without every line that contains one of cut, and
// fails the test if one of them is in no line: a variant of the tested
// file, to show what each line is for.
func without(t *testing.T, conf string, cut ...string) string {
	t.Helper()
	var kept []string
	found := make(map[string]bool)
	for _, line := range strings.Split(conf, "\n") {
		drop := false
		for _, c := range cut {
			if strings.Contains(line, c) {
				found[c], drop = true, true
			}
		}
		if !drop {
			kept = append(kept, line)
		}
	}
	for _, c := range cut {
		require.True(t, found[c], "no line of the configuration contains %q", c)
	}
	return strings.Join(kept, "\n")
}
