package writers

import (
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
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
	webtest.Golden(t, "leaky.golden", forBook(argsRE.ReplaceAllString(
		webtest.Lines(out, "PASS", "FAIL", "goroutine N", "leakyPump", "chan receive"), "(…)")), *update)
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

// ANCHOR: close-code-test

// TestTooBigIsRefusedWith1009: a message over the limit gets close 1009.
// The test dials for real, sends 1 MiB to a 64 KiB limit, and asserts on
// the close code; a message echoed back instead fails it.
func TestTooBigIsRefusedWith1009(t *testing.T) {
	limit := int64(64 << 10)
	if *broken == "nolimit" {
		limit = 1 << 30 // as good as no limit at all
	}
	wsURL, returned := serveWS(t, &Pump{MaxMessage: limit})
	c := dial(t, wsURL)
	// fails once the server hangs up
	go c.WriteMessage(websocket.BinaryMessage, []byte(strings.Repeat("x", 1<<20)))
	assert.Equal(t, websocket.CloseMessageTooBig, webtest.CloseCode(t, c))
	c.Close()
	within(t, testBound, returned, "the handler returns")
}

// ANCHOR_END: close-code-test

// TestCloseCodeCatchesNoLimit: with a limit nobody reaches, the 1 MiB
// message comes back as an echo, and the close-code assertion says so.
func TestCloseCodeCatchesNoLimit(t *testing.T) {
	t.Parallel()
	out := webtest.RunBroken(t, "^TestTooBigIsRefusedWith1009$", "-broken=nolimit")
	require.Contains(t, out, "expected a close frame, got a 1048576-byte message of type 2")
	webtest.Golden(t, "nolimit.golden", out, *update)
}

// ANCHOR: race-meta

// TestRaceDetectorCatchesRacyLocked: racyLocked passes TestOneWriterAtATime
// and fails it under -race, which names the two lines that race.
func TestRaceDetectorCatchesRacyLocked(t *testing.T) {
	if !webtest.RaceEnabled {
		t.Skip("the race detector is off: go test -race -run TestRaceDetector " +
			"./echo-gorilla/writers")
	}
	t.Parallel()
	out := webtest.RunBroken(t, "^TestOneWriterAtATime$", "-broken=racy")
	require.Contains(t, out, "WARNING: DATA RACE")
	require.Contains(t, out, "race detected during execution of test")
	// Which goroutine the detector catches first varies; the lines of ours
	// that it names do not.
	where := strings.Split(strings.TrimSpace(webtest.Lines(out, "broken_test.go:")), "\n")
	for i := range where {
		where[i], _, _ = strings.Cut(strings.TrimSpace(where[i]), " +0x")
	}
	slices.Sort(where)
	webtest.Golden(t, "racy.golden",
		"WARNING: DATA RACE, at:\n"+strings.Join(slices.Compact(where),
			"\n")+"\n", *update)
}

// ANCHOR_END: race-meta
