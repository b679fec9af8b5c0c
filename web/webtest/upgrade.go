package webtest

import (
	"bytes"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// syncBuffer is a bytes.Buffer that several goroutines may write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// throughPath is the path UpgradeThrough dials: its own, so that what
// other tests' servers log meanwhile is told apart.
const throughPath = "/ws-through"

// UpgradeThrough serves h on a loopback port, opens a WebSocket to it with
// gorilla's client and, if it opens, echoes "hello" once. It returns what
// happened, as a few lines for a chapter: what the client saw, and what
// the server logged meanwhile (slog's default logger, and net/http's error
// log, where a recovered panic goes; an slog line is folded to 90
// columns, between its pairs). It sets slog's default logger for the
// test, so tests that use it must not run in parallel.
func UpgradeThrough(t testing.TB, h http.Handler) string {
	t.Helper()
	var logged syncBuffer
	old := slog.Default()
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{ReplaceAttr: noTime})))
	defer slog.SetDefault(old)

	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(&logged, "net/http: ", 0)
	srv.Start()
	defer srv.Close()

	var got strings.Builder
	d := websocket.Dialer{HandshakeTimeout: ioTimeout}
	c, resp, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+throughPath, nil)
	switch {
	case err == nil:
		got.WriteString("client: " + resp.Status + "\n")
		c.SetReadDeadline(time.Now().Add(ioTimeout))
		c.SetWriteDeadline(time.Now().Add(ioTimeout))
		if err := c.WriteMessage(websocket.TextMessage, []byte("hello")); err == nil {
			if _, msg, err := c.ReadMessage(); err == nil {
				got.WriteString("client: echoed " + string(msg) + "\n")
			}
		}
		// A clean goodbye, so that the server has nothing to log.
		bye := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		_ = c.WriteControl(websocket.CloseMessage, bye, time.Now().Add(ioTimeout))
		for err == nil {
			_, _, err = c.ReadMessage()
		}
		c.Close()
	case resp != nil:
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got.WriteString("client: " + resp.Status + ": " + strings.TrimSpace(string(body)) + "\n")
	default:
		got.WriteString("client: " + err.Error() + "\n")
	}
	srv.Close() // waits for the handler, so its log is complete
	for _, line := range strings.Split(strings.TrimSpace(logged.String()), "\n") {
		// One line per record of this request (a panic's stack is left out).
		ours := strings.Contains(line, "path="+throughPath) || strings.Contains(line, "panic serving")
		if ours && (strings.HasPrefix(line, "level=") || strings.HasPrefix(line, "net/http: ")) {
			got.WriteString("server: " + line + "\n")
		}
	}
	// slog's lines, folded for the book once the ports are normalised.
	lines := strings.Split(Normalise(got.String()), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "server: level=") {
			lines[i] = fold(line, 90)
		}
	}
	return strings.Join(lines, "\n")
}

// fold breaks a log line at the spaces between its key=value pairs (not
// inside a quoted value) so that each line is at most width columns, as
// the book shows it; the lines after the first are indented by 8. A pair
// wider than that stays whole, on a line of its own.
func fold(line string, width int) string {
	const indent = "        "
	var fields []string
	start, quoted := 0, false
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && quoted:
			i++ // an escaped character, \" included
		case line[i] == '"':
			quoted = !quoted
		case line[i] == ' ' && !quoted:
			fields = append(fields, line[start:i])
			start = i + 1
		}
	}
	fields = append(fields, line[start:])
	var b strings.Builder
	n := 0 // the width of the line so far
	for i, f := range fields {
		switch {
		case i == 0:
		case n+1+len(f) > width:
			b.WriteString("\n" + indent)
			n = len(indent)
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(f)
		n += len(f)
	}
	return b.String()
}
