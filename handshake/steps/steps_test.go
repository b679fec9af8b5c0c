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
var steps = []string{"1-hijack", "2-accept", "3-checks", "4-frames"}

// binEnv names the folder of the built steps for the test processes
// TestRedOutputs starts, so that they do not build the steps again.
const binEnv = "HANDSHAKE_STEPS_BIN"

// built holds the step binaries, built once per test binary.
var built struct {
	once  sync.Once
	dir   string
	owned bool // this process built them, and removes them
	err   error
	out   []byte
}

// TestMain removes the step binaries when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.owned {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildSteps builds every step once, or finds them built by the test
// process that started this one, and returns their folder.
func buildSteps(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir = os.Getenv(binEnv); built.dir != "" {
			return
		}
		if built.dir, built.err = os.MkdirTemp("", "handshake-steps-"); built.err != nil {
			return
		}
		built.owned = true
		out := built.dir + string(filepath.Separator)
		built.out, built.err = exec.Command("go", "build", "-o", out, "./...").CombinedOutput()
		if built.err == nil {
			built.err = os.Setenv(binEnv, built.dir)
		}
	})
	require.NoError(t, built.err, "go build: %s", built.out)
	return built.dir
}

// forEachStep runs test against the step own and every later one, as
// subtests named by step; with -step, against that step alone.
func forEachStep(t *testing.T, own string, test func(t *testing.T, p *webtest.Process)) {
	t.Helper()
	dir := buildSteps(t)
	run := steps[slices.Index(steps, own):]
	if *only != "" {
		run = []string{*only}
	}
	for _, step := range run {
		t.Run(step, func(t *testing.T) {
			test(t, webtest.StartProcess(t, filepath.Join(dir, step)))
		})
	}
}
