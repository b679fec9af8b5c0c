package steps

import (
	"flag"
	"testing"
	"time"

	"github.com/websocket-in-go/workbook/web/webtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// silence is how long the silent-peer probe waits. Step 4 runs with a
// pongWait of a fifth of it, so it drops the peer well within it on a
// loaded machine; earlier steps must still hold the peer when it passes.
const silence = 2500 * time.Millisecond

// steps are the chapter's programs, in order.
var steps = []webtest.Step{
	{Dir: "1-seed", Path: "/ws"},
	{Dir: "2-limit", Path: "/ws"},
	{Dir: "3-utf8", Path: "/ws"},
	{Dir: "4-keepalive", Path: "/ws", Args: []string{"-pong-wait", (silence / 5).String()}},
}

// defects are what the seed gets wrong, each with the step that fixes it.
// The first four rows gorilla gets right from the seed on: they are where
// the x/net chapter needed steps.
var defects = []webtest.Defect{
	{Name: "a page from http://evil.example", FixedIn: "1-seed", Fixed: "403",
		Probe: webtest.ProbeOrigin("http://evil.example")},
	{Name: "a program with no Origin", FixedIn: "1-seed", Fixed: "101",
		Probe: webtest.ProbeOrigin("")},
	{Name: "binary 00 01 02 comes back as", FixedIn: "1-seed", Fixed: "binary",
		Probe: webtest.ProbeBinary},
	{Name: "close 1000 is answered with", FixedIn: "1-seed", Fixed: "1000",
		Probe: webtest.ProbeClose},
	{Name: "a 2 MiB message", FixedIn: "2-limit", Broken: "echoed", Fixed: "1009",
		Probe: webtest.ProbeTooBig},
	{Name: "text ff fe (not UTF-8)", FixedIn: "3-utf8", Broken: "echoed", Fixed: "1007",
		Probe: webtest.ProbeInvalidUTF8},
	{Name: "a peer silent for 2.5 s", FixedIn: "4-keepalive", Broken: "held", Fixed: "dropped",
		Probe: webtest.ProbeSilentPeer(silence)},
}

// TestSteps runs every step against every defect: each step fixes its
// own and keeps the earlier fixes. The table is the chapter's.
func TestSteps(t *testing.T) {
	table := webtest.StepsContract(t, ".", steps, defects)
	if !t.Failed() {
		webtest.Golden(t, "steps.txt", table, *update)
	}
}
