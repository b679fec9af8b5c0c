package webtest

import (
	"runtime"
	"testing"
)

// RequireSignals skips t where a test cannot send a process SIGINT or
// SIGTERM: on Windows os.Process.Signal can only kill (there are no POSIX
// signals to send; a console's Ctrl-C reaches the servers as os.Interrupt,
// which serve.Main handles, but a test has no console to press it in).
func RequireSignals(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("skipping: Windows cannot send SIGINT or SIGTERM to a process (os.Process.Signal supports only os.Kill there)")
	}
}
