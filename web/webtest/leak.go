package webtest

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// leakWait is how long the goroutines of finished tests may take to end
// (a handler noticing its closed socket, a deferred Close).
const leakWait = 5 * time.Second

// leakMarks are the packages whose goroutines must be gone when a test
// package ends: ours, the WebSocket libraries and net/http's servers.
var leakMarks = []string{
	"github.com/websocket-in-go/workbook/",
	"github.com/gorilla/websocket.",
	"golang.org/x/net/websocket.",
	"net/http.(*conn).serve",
}

// ANCHOR: main-no-leaks

// MainNoLeaks is a TestMain that runs the package's tests and then fails
// the package if any goroutine of ours, of a WebSocket library or of a
// net/http server is still running leakWait after the last test ended. A
// handler that forgets a goroutine on every connection passes every test
// and still runs out of memory in production; this check turns that into
// a failure. Use it as:
//
//	func TestMain(m *testing.M) { webtest.MainNoLeaks(m) }
func MainNoLeaks(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if leaked := Leaked(leakWait); leaked != "" {
			fmt.Fprintf(os.Stderr,
				"FAIL: goroutines still running after the tests ended:\n\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// ANCHOR_END: main-no-leaks

// Leaked waits up to within for the goroutines that leakMarks name to end,
// and returns the stacks of those still running ("" if none).
func Leaked(within time.Duration) string {
	deadline := time.Now().Add(within)
	for {
		leaked := leftovers()
		if len(leaked) == 0 {
			return ""
		}
		if time.Now().After(deadline) {
			return strings.Join(leaked, "\n\n")
		}
		time.Sleep(10 * time.Millisecond) // polling for goroutines to end: there is nothing to wait on
	}
}

// leftovers returns the stacks of the running goroutines, but this one,
// that mention any of leakMarks.
func leftovers() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i == 0 {
			continue // the caller's own goroutine
		}
		for _, mark := range leakMarks {
			if strings.Contains(g, mark) && !strings.Contains(g, "webtest.leftovers") {
				out = append(out, g)
				break
			}
		}
	}
	return out
}
