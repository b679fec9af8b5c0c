package steps

import (
	"flag"
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// steps are the chapter's programs, in order. Step 1 keeps the original's
// socket at "/"; step 2 puts the page there and the socket at "/ws".
var steps = []webtest.Step{
	{Dir: "1-seed", Path: "/"},
	{Dir: "2-origin", Path: "/ws"},
	{Dir: "3-binary", Path: "/ws"},
	{Dir: "4-close", Path: "/ws"},
	{Dir: "5-limit", Path: "/ws"},
}

// defects are what the seed gets wrong, each with the step that fixes it.
// One row is not a defect of the code: the original's page, opened from a
// file, sends "Origin: null", which every step refuses.
var defects = []webtest.Defect{
	{Name: "a page from http://evil.example", FixedIn: "2-origin", Broken: "101", Fixed: "403",
		Probe: webtest.ProbeOrigin("http://evil.example")},
	{Name: "a program with no Origin", FixedIn: "2-origin", Broken: "403", Fixed: "101",
		Probe: webtest.ProbeOrigin("")},
	{Name: "a page opened as a file (null)", FixedIn: "1-seed", Fixed: "403",
		Probe: webtest.ProbeOrigin("null")},
	{Name: "binary 00 01 02 comes back as", FixedIn: "3-binary", Broken: "text", Fixed: "binary",
		Probe: webtest.ProbeBinary},
	{Name: "close 1000 is answered with", FixedIn: "4-close", Broken: "1006", Fixed: "1000",
		Probe: webtest.ProbeClose},
	{Name: "a 2 MiB message", FixedIn: "5-limit", Broken: "echoed", Fixed: "1009",
		Probe: webtest.ProbeTooBig},
}

// TestSteps runs every step against every defect: each step fixes its
// own and keeps the earlier fixes. The table it prints is the chapter's.
func TestSteps(t *testing.T) {
	table := webtest.StepsContract(t, ".", steps, defects)
	if !t.Failed() {
		webtest.Golden(t, "steps.txt", table, *update)
	}
}
