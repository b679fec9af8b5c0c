package writers

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// The chapter "Testing WebSocket code" shows each technique failing on a
// deliberately broken handler first. These tests run the broken variants
// in a process of their own, require the failure, and keep its output in
// testdata/ for the chapter.

// ANCHOR: leak-meta

// TestLeakCheckCatchesLeakyPump: with leakyPump, every test passes, and
// MainNoLeaks fails the package, naming the goroutine left behind.
func TestLeakCheckCatchesLeakyPump(t *testing.T) {
	t.Parallel()
	out := webtest.RunBroken(t, "^TestOneWriterAtATime$", "-broken=leaky")
	require.Contains(t, out, "goroutines still running after the tests ended")
	require.Contains(t, out, "(*leakyPump).ServeHTTP.func2")
	webtest.Golden(t, "leaky.golden", argsRE.ReplaceAllString(
		webtest.Lines(out, "PASS", "FAIL", "goroutine N", "leakyPump", "chan receive"), "(…)"), *update)
}

// ANCHOR_END: leak-meta

// ANCHOR: deadline-meta

// TestInjectedDeadlineCatchesNoDeadline: without a write deadline, the
// handler stays blocked on a client that never reads; the injected 100 ms
// deadline lets the test say so in 2 s, not wait for a production 10 s.
func TestInjectedDeadlineCatchesNoDeadline(t *testing.T) {
	t.Parallel()
	out := webtest.RunBroken(t, "^TestStalledClientIsDropped$", "-broken=nodeadline")
	require.Contains(t, out, "the handler returns: not within …s")
	webtest.Golden(t, "nodeadline.golden", strings.ReplaceAll(out, "not within …s", "not within 2s"), *update)
}

// ANCHOR_END: deadline-meta
