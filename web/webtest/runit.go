package webtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// logTimeRE is the date and time log.Printf and slog's text handler put in
// front of a line.
var logTimeRE = regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

// RunIt is the session of a chapter's "Run it": it builds the command in
// pkgDir, runs it as a real process (with -addr 127.0.0.1:0 and args), and
// does what the chapter asks the reader to do with the page: send the
// text "Hello" and the binary 00 01 02 on /ws, then press Ctrl-C (SIGINT).
// It returns what the reader would see, the server's output and the
// client's, with the port shown as 1234 and the log's times cut, for a
// golden file. It fails the test if the process does not exit 0.
func RunIt(t *testing.T, pkgDir, command string, args ...string) string {
	t.Helper()
	bin := BuildServer(t, pkgDir)
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	var out bytes.Buffer
	var mu sync.Mutex
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the server printed nothing")
	first := lines.Text()
	base, ok := strings.CutPrefix(first, "listening on ")
	require.True(t, ok, "first line was %q", first)
	out.WriteString(first + "\n")
	rest := make(chan struct{})
	go func() {
		defer close(rest)
		for lines.Scan() {
			mu.Lock()
			out.WriteString(lines.Text() + "\n")
			mu.Unlock()
		}
	}()

	var client strings.Builder
	c := DialGorilla(t, "ws"+strings.TrimPrefix(base, "http")+"/ws", sameOrigin(base))
	for _, m := range []struct {
		kind int
		data []byte
	}{{websocket.TextMessage, []byte("Hello")}, {websocket.BinaryMessage, []byte{0, 1, 2}}} {
		kind, got := echoOnce(t, c, m.kind, m.data)
		if kind == websocket.TextMessage {
			fmt.Fprintf(&client, "text %q\n", got)
		} else {
			fmt.Fprintf(&client, "binary % x\n", got)
		}
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	_, _, err = c.ReadMessage()
	fmt.Fprintf(&client, "%v\n", err)

	exited := make(chan error, 1)
	go func() { <-rest; exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		require.NoError(t, err, "the server should exit 0 after SIGINT")
	case <-time.After(exitWithin):
		t.Fatalf("the server did not exit within %v of SIGINT", exitWithin)
	}

	host := strings.TrimPrefix(base, "http://")
	var b strings.Builder
	fmt.Fprintf(&b, "$ %s\n", command)
	mu.Lock()
	b.WriteString(out.String())
	mu.Unlock()
	b.WriteString(logTimeRE.ReplaceAllString(stderr.String(), ""))
	b.WriteString("\nThe page (here a Go client) sends the text \"Hello\", then the binary 00 01 02,\n")
	b.WriteString("and reads the answers; at Ctrl-C it reads the server's close:\n\n")
	b.WriteString(client.String())
	got := strings.ReplaceAll(b.String(), host, "localhost:1234")
	return regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(got, "127.0.0.1:PORT")
}
