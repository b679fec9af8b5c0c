package writers

import (
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

var (
	// update rewrites the golden files in testdata/ from real runs.
	update = flag.Bool("update", false, "rewrite the golden files in testdata/")
	// broken selects a deliberately broken variant for the tests that show
	// a failure first (see RunBroken); "" runs the fixed code only.
	broken = flag.String("broken", "", "run the tests against a broken variant: naive, leaky, racy, nodeadline, nolimit")
)

// ANCHOR: test-main

// TestMain fails the package if a test leaves a goroutine running.
func TestMain(m *testing.M) {
	webtest.MainNoLeaks(m)
}

// ANCHOR_END: test-main

// testBound is how long any one step of a test may take before it fails.
const testBound = 10 * time.Second

// ANCHOR: real-dial

// serveWS serves h on a loopback port and returns its ws:// URL and a
// channel that is closed once the first ServeHTTP returns.
func serveWS(t *testing.T, h http.Handler) (wsURL string, returned <-chan struct{}) {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		defer close(done)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), done
}

// dial opens a gorilla client connection, closed when the test ends.
func dial(t *testing.T, wsURL string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: testBound}
	c, resp, err := d.Dial(wsURL, nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	return c
}

// ANCHOR_END: real-dial

// closeCode reads and discards messages until the close frame, and
// returns its code; 1006 (CloseAbnormalClosure) if the connection ended
// without one.
func closeCode(t *testing.T, c *websocket.Conn) int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(testBound))
	for {
		_, _, err := c.ReadMessage()
		if ce, ok := errors.AsType[*websocket.CloseError](err); ok {
			return ce.Code
		}
		if err != nil {
			require.NotErrorIs(t, err, os.ErrDeadlineExceeded, "no close frame came")
			return websocket.CloseAbnormalClosure
		}
	}
}

// within fails the test unless ch is closed (or sends) within d.
func within(t *testing.T, d time.Duration, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("%s: not within %v", what, d)
	}
}
