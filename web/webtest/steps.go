package webtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Step is one program of a chapter that grows in steps: a folder such as
// "1-seed" under the chapter's steps/ folder, and the path of its socket.
type Step struct {
	Dir  string // the folder's name, e.g. "1-seed"
	Path string // the socket's path, e.g. "/ws"
	// Args are extra flags the step is started with, if any.
	Args []string
}

// Defect is something the early steps get wrong and a later step fixes.
type Defect struct {
	// Name says what the probe does, in a few words, for the table.
	Name string
	// FixedIn is the Dir of the first step that gets it right.
	FixedIn string
	// Broken and Fixed are what Probe returns before FixedIn and from
	// FixedIn on.
	Broken, Fixed string
	// Probe runs against one running step (base is http://HOST:PORT, ws is
	// the socket's URL) and says what it saw, in a word or two.
	Probe func(t *testing.T, base, ws string) string
}

// StepsContract builds every step program in the folder dir (one go build
// for all of them), starts each as a process, and runs every probe against
// every step: a step before a defect's FixedIn must show Broken, the step
// that fixes it and every later one Fixed. So each step is shown to fix
// what it says it fixes, and to break nothing an earlier step fixed. It
// returns the table of what it saw, a row per defect and a column per
// step, for the chapter (see Golden).
func StepsContract(t *testing.T, dir string, steps []Step, defects []Defect) string {
	t.Helper()
	bins := t.TempDir()
	build := exec.Command("go", "build", "-o", bins+string(filepath.Separator), "./...")
	build.Dir = dir
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	index := map[string]int{}
	for i, s := range steps {
		index[s.Dir] = i
	}
	seen := make([][]string, len(defects))
	for i, s := range steps {
		t.Run(s.Dir, func(t *testing.T) {
			p := StartProcess(t, filepath.Join(bins, s.Dir), s.Args...)
			ws := "ws" + strings.TrimPrefix(p.URL, "http") + s.Path
			for j, d := range defects {
				fixed, ok := index[d.FixedIn]
				require.True(t, ok, "defect %q: no step %q", d.Name, d.FixedIn)
				want := d.Broken
				if i >= fixed {
					want = d.Fixed
				}
				got := d.Probe(t, p.URL, ws)
				seen[j] = append(seen[j], got)
				assert.Equal(t, want, got, "%s: %s", s.Dir, d.Name)
			}
		})
	}

	var table strings.Builder
	width := 0
	for _, d := range defects {
		width = max(width, len(d.Name))
	}
	fmt.Fprintf(&table, "%-*s", width, "")
	for _, s := range steps {
		fmt.Fprintf(&table, "  %-9s", s.Dir)
	}
	table.WriteString("\n")
	for j, d := range defects {
		fmt.Fprintf(&table, "%-*s", width, d.Name)
		for _, got := range seen[j] {
			fmt.Fprintf(&table, "  %-9s", got)
		}
		table.WriteString("\n")
	}
	lines := strings.Split(table.String(), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

// ProbeOrigin sends a handshake with the given Origin ("" for none) and
// returns the response's status code: "101" or "403".
func ProbeOrigin(origin string) func(t *testing.T, base, ws string) string {
	return func(t *testing.T, base, ws string) string {
		u, err := url.Parse(ws)
		require.NoError(t, err)
		resp := RawHandshake(t, base, u.Path, "dGhlIHNhbXBsZSBub25jZQ==", origin)
		return strconv.Itoa(resp.StatusCode)
	}
}

// ProbeBinary sends the binary message 00 01 02 and says what type came
// back: "binary" or "text".
func ProbeBinary(t *testing.T, base, ws string) string {
	c := DialGorilla(t, ws, sameOrigin(base))
	kind, _ := echoOnce(t, c, websocket.BinaryMessage, []byte{0, 1, 2})
	if kind == websocket.BinaryMessage {
		return "binary"
	}
	return "text"
}

// ProbeClose sends close 1000 and returns the code of the close that comes
// back: "1000", or "1006" when the server drops the connection instead.
func ProbeClose(t *testing.T, base, ws string) string {
	c := DialGorilla(t, ws, sameOrigin(base))
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	require.NoError(t, c.WriteControl(websocket.CloseMessage, msg, time.Now().Add(ioTimeout)))
	return strconv.Itoa(closeOrEcho(t, c))
}

// ProbeTooBig sends one binary message of 2 MiB in one frame and returns
// "echoed" if it comes back, or the close code the server answers with.
func ProbeTooBig(t *testing.T, base, ws string) string {
	d := websocket.Dialer{HandshakeTimeout: ioTimeout, WriteBufferSize: 2<<20 + 64}
	c, resp, err := d.Dial(ws, sameOrigin(base))
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	c.SetWriteDeadline(time.Now().Add(ioTimeout))
	require.NoError(t, c.WriteMessage(websocket.BinaryMessage, make([]byte, 2<<20)))
	if code := closeOrEcho(t, c); code != 0 {
		return strconv.Itoa(code)
	}
	return "echoed"
}

// closeOrEcho reads one message within ioTimeout and returns 0 for a data
// message, or the close code (1006 when the connection ended without a
// close frame).
func closeOrEcho(t *testing.T, c *websocket.Conn) int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	_, _, err := c.ReadMessage()
	if err == nil {
		return 0
	}
	var ce *websocket.CloseError
	require.True(t, errors.As(err, &ce), "expected a message or a close, got %v", err)
	return ce.Code
}

// sameOrigin is the header of a page served by the server at base: every
// step accepts it (the seed refuses a client with no Origin).
func sameOrigin(base string) http.Header {
	return http.Header{"Origin": {base}}
}

// ProbeInvalidUTF8 sends a text message whose bytes (ff fe) are not UTF-8
// and returns "echoed" if it comes back, or the close code the server
// answers with (RFC 6455 §8.1 asks for 1007).
func ProbeInvalidUTF8(t *testing.T, base, ws string) string {
	c := DialGorilla(t, ws, sameOrigin(base))
	c.SetWriteDeadline(time.Now().Add(ioTimeout))
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte{0xff, 0xfe}))
	if code := closeOrEcho(t, c); code != 0 {
		return strconv.Itoa(code)
	}
	return "echoed"
}

// ProbeSilentPeer returns a probe for a peer that completes the handshake
// and then neither reads nor answers: it reads the raw socket, pings and
// all, for up to wait. It returns "dropped" if the server ends the
// connection within wait, and "held" if it is still open when wait passes.
func ProbeSilentPeer(wait time.Duration) func(t *testing.T, base, ws string) string {
	return func(t *testing.T, base, ws string) string {
		u, err := url.Parse(ws)
		require.NoError(t, err)
		conn, err := net.DialTimeout("tcp", u.Host, ioTimeout)
		require.NoError(t, err)
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(ioTimeout))
		_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"+
			"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"+
			"Sec-WebSocket-Version: 13\r\n\r\n", u.Path, u.Host)
		require.NoError(t, err)
		r := bufio.NewReader(conn)
		resp, err := http.ReadResponse(r, nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)

		conn.SetDeadline(time.Now().Add(wait))
		_, err = io.Copy(io.Discard, r) // pings, then EOF when we are dropped
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return "held"
		}
		return "dropped"
	}
}
