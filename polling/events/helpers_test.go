package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// ioTimeout bounds every request a test makes, so a handler that hangs
// fails the test instead of hanging it.
const ioTimeout = 10 * time.Second

// startServer serves h's endpoints on a loopback httptest server.
func startServer(t testing.TB, h *Handlers) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// getEvents GETs path and decodes the JSON array of events.
func getEvents(t testing.TB, c *http.Client, url string) []Event {
	t.Helper()
	resp, err := c.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET %s: %s", url, body)
	var events []Event
	require.NoError(t, json.Unmarshal(body, &events), "GET %s: %s", url, body)
	return events
}

// publish POSTs text to /publish and returns the id it was given.
func publish(t testing.TB, base, text string) int64 {
	t.Helper()
	resp, err := http.Post(base+"/publish", "text/plain", strings.NewReader(text))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got struct{ ID int64 }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	return got.ID
}

// wsURL turns http://host:port into ws://host:port/ws?since=N.
func wsURL(base string, since int64) string {
	return "ws" + strings.TrimPrefix(base, "http") + "/ws?since=" + strconv.FormatInt(since, 10)
}

// dial opens a WebSocket with gorilla's client; it is closed when the test
// ends.
func dial(t testing.TB, url string, d *websocket.Dialer) *websocket.Conn {
	t.Helper()
	if d == nil {
		d = &websocket.Dialer{HandshakeTimeout: ioTimeout}
	}
	c, resp, err := d.Dial(url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// post publishes text, for goroutines that must not call t.FailNow.
func post(base, text string) error {
	resp, err := http.Post(base+"/publish", "text/plain", strings.NewReader(text))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST /publish: %s", resp.Status)
	}
	return nil
}

// jsonDecode decodes a response body.
func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}

// logLines collects what the package logs through slog while a test runs.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// count returns how many lines contain every one of parts.
func (l *logLines) count(parts ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for line := range strings.Lines(l.buf.String()) {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			n++
		}
	}
	return n
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// captureLog sends slog's default logger to a logLines until the test
// ends. Tests that use it must not run in parallel.
func captureLog(t testing.TB) *logLines {
	t.Helper()
	lines := new(logLines)
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(lines, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return lines
}
