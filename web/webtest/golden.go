package webtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ANCHOR: run-broken

// RunBroken re-runs one test of the running test binary (run is a
// -test.run pattern) with extra arguments, such as "-writer=naive", that
// select a deliberately broken variant. It requires that run to fail, and
// returns its output, normalised (see Normalise). This is how a chapter
// shows a failing test: the output is real, captured from the broken
// code, never typed by hand.
func RunBroken(t testing.TB, run string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=" + run, "-test.count=1"},
		args...)...)
	cmd.Env = append(os.Environ(), "GOTRACEBACK=single")
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the broken variant passed %s %v:\n%s", run, args, out)
	return Normalise(string(out))
}

// ANCHOR_END: run-broken

// normalisers replace what changes from run to run: durations, ports,
// addresses, goroutine ids and the machine's paths.
var normalisers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\((\d+\.\d+)s\)`), "(…s)"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s)\b`), "…s"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`\b0x[0-9a-f]+`), "0x…"}, // not inside a word: a base64 key may hold "0x" and hex digits
	{regexp.MustCompile(`goroutine \d+`), "goroutine N"},
	{regexp.MustCompile(`exit status \d+`), "exit status N"},
}

// Normalise makes a test's output comparable between runs: durations,
// loopback ports, hex addresses and goroutine numbers become placeholders,
// and the module's absolute path is cut from file names.
func Normalise(out string) string {
	if wd, err := os.Getwd(); err == nil {
		if root := moduleRoot(wd); root != "" {
			out = strings.ReplaceAll(out, root+string(filepath.Separator), "")
		}
	}
	if gr := os.Getenv("GOROOT"); gr != "" {
		out = strings.ReplaceAll(out, gr, "$GOROOT")
	}
	for _, n := range normalisers {
		out = n.re.ReplaceAllString(out, n.with)
	}
	return out
}

// moduleRoot is the nearest folder at or above dir with a go.mod.
func moduleRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Golden compares got with the file testdata/name, or writes got there when
// update is true (go test -run X -update). The chapters include these
// files, so what the book shows is what the code does.
func Golden(t testing.TB, name, got string, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: run the test with -update")
	assert.Equal(t, string(want), got, "%s is out of date: run the test with -update and read the diff", path)
}

// Lines returns the lines of out that contain any of the given strings, in
// order: the part of a long failure that a chapter shows.
func Lines(out string, containing ...string) string {
	var kept []string
	for _, line := range strings.Split(out, "\n") {
		for _, s := range containing {
			if strings.Contains(line, s) {
				kept = append(kept, line)
				break
			}
		}
	}
	return strings.Join(kept, "\n") + "\n"
}
