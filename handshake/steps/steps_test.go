package steps

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

var (
	update = flag.Bool("update", false, "rewrite the golden files in testdata/")
	only   = flag.String("step", "", "run the tests against this step only "+
		"(the chapter's failing outputs come from the step before each test's own)")
)

// steps are the chapter's programs, in order.
var steps = []string{"1-hijack", "2-accept", "3-checks"}

// built holds the step binaries, built once per test binary.
var built struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// TestMain removes the step binaries when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// forEachStep runs test against the step own and every later one, as
// subtests named by step; with -step, against that step alone.
func forEachStep(t *testing.T, own string, test func(t *testing.T, p *webtest.Process)) {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "handshake-steps-"); built.err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", built.dir+string(filepath.Separator), "./...")
		built.out, built.err = cmd.CombinedOutput()
	})
	require.NoError(t, built.err, "go build: %s", built.out)
	run := steps[slices.Index(steps, own):]
	if *only != "" {
		run = []string{*only}
	}
	for _, step := range run {
		t.Run(step, func(t *testing.T) {
			test(t, webtest.StartProcess(t, filepath.Join(built.dir, step)))
		})
	}
}
