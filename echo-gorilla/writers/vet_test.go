package writers

import (
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// goTool runs the go command in this package's folder and returns its
// output and whether it failed.
func goTool(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	webtest.RequireTool(t, err == nil, "the go command", "https://go.dev/doc/install")
	out, err := exec.Command(gobin, args...).CombinedOutput()
	return webtest.Normalise(string(out)), err != nil
}

// ANCHOR: copied-test

// TestCopiedMutex: the lock copied by value. go vet's copylocks check
// rejects it, and run, it panics as if there were no lock at all.
func TestCopiedMutex(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program: not with -short")
	}
	vet, failed := goTool(t, "vet", "./testdata/copiedmutex")
	require.True(t, failed, "go vet passed:\n%s", vet)
	require.Contains(t, vet, "WriteMessage passes lock by value")
	webtest.Golden(t, "copiedmutex-vet.golden", forBook(vet), *update)

	run, failed := goTool(t, "run", "./testdata/copiedmutex")
	require.True(t, failed, "the copied mutex kept the writers apart:\n%s", run)
	require.Contains(t, run, "panic: concurrent write to websocket connection")
}

// ANCHOR_END: copied-test

// forBook shortens what Go's tools print for the book's 90 columns, and
// changes nothing else: the module's path in a name becomes "…/", and a
// line still too long is broken after its last ": " that fits, the rest
// indented by 4.
func forBook(s string) string {
	s = strings.ReplaceAll(s, "github.com/websocket-in-go/workbook/", "…/")
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		for utf8.RuneCountInString(line) > 90 {
			i := strings.LastIndex(string([]rune(line)[:90]), ": ")
			if i < 0 {
				break
			}
			out = append(out, line[:i+1])
			line = "    " + line[i+2:]
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
