package steps

import (
	"regexp"
	"strings"
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestRedOutputs runs each of the chapter's tests against the step before
// its own, requires it to fail there, and keeps what it printed in
// testdata (go test -run TestRedOutputs -update rewrites the files). So
// the failing output the chapter shows before each step is real.
func TestRedOutputs(t *testing.T) {
	cases := []struct {
		test, step, golden string
	}{
		{"TestClientAcceptsThe101", "1-hijack", "red-accept.txt"},
		{"TestRefusals", "2-accept", "red-checks.txt"},
		{"TestEcho", "3-checks", "red-echo.txt"},
	}
	buildSteps(t) // once, for this process and the ones it starts
	for _, tc := range cases {
		t.Run(tc.test, func(t *testing.T) {
			out := webtest.RunBroken(t, "^"+tc.test+"$", "-step="+tc.step)
			webtest.Golden(t, tc.golden, red(out), *update)
		})
	}
}

// traceRE matches testify's "Error Trace:" line and the file:line lines
// that continue it, and the last lines of a failing go test run; quotedRE
// a long quoted value that the Diff below it shows line by line.
var (
	traceRE = regexp.MustCompile(
		`^\s*(Error Trace:)?\s*\S+\.go:\d+$|^\s*Test:|^FAIL|^exit status`)
	quotedRE = regexp.MustCompile(`^\s*(expected|actual  ): "`)
	indentRE = regexp.MustCompile(`^ {12}\t( {12}\t)?`)
	labelRE  = regexp.MustCompile(`(Error|Messages):\s+\t`)
)

// red keeps the part of a failing test's output a reader needs: which test
// failed, and testify's message, without the stack of file names.
func red(out string) string {
	var kept []string
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if traceRE.MatchString(line) || quotedRE.MatchString(line) {
			continue
		}
		line = indentRE.ReplaceAllStringFunc(line, func(s string) string {
			if strings.Count(s, "\t") == 2 {
				return "            "
			}
			return "        "
		})
		line = strings.TrimRight(labelRE.ReplaceAllString(line, "$1: "), " \t")
		if line != "" {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n") + "\n"
}
