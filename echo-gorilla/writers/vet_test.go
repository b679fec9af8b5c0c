package writers

import (
	"os/exec"
	"testing"

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
	webtest.Golden(t, "copiedmutex-vet.golden", vet, *update)

	run, failed := goTool(t, "run", "./testdata/copiedmutex")
	require.True(t, failed, "the copied mutex kept the writers apart:\n%s", run)
	require.Contains(t, run, "panic: concurrent write to websocket connection")
}

// ANCHOR_END: copied-test
