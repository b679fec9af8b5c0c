package handshake

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// ANCHOR: test-main

// TestMain runs this package's tests in a child process that has
// GODEBUG=http2xconnect=1, unless the environment already says what it
// wants. net/http reads GODEBUG once, in an init function, before any
// test could call os.Setenv: the HTTP/2 tests need the setting in the
// environment the test binary starts with.
func TestMain(m *testing.M) {
	godebug := os.Getenv("GODEBUG")
	if strings.Contains(godebug, "http2xconnect=") {
		os.Exit(m.Run())
	}
	os.Exit(rerun(os.Args[1:], joinGODEBUG(godebug, "http2xconnect=1")))
}

// ANCHOR_END: test-main

// rerun runs this test binary again with args and GODEBUG=godebug, its
// output passed through, and returns its exit status.
func rerun(args []string, godebug string) int {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GODEBUG="+godebug)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		return exit.ExitCode()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "running the tests with GODEBUG="+godebug+":", err)
		return 1
	}
	return 0
}

// joinGODEBUG puts setting into a GODEBUG value (a comma-separated list),
// in place of any http2xconnect there: net/http looks for the text
// "http2xconnect=1" anywhere in it.
func joinGODEBUG(godebug, setting string) string {
	var keep []string
	for s := range strings.SplitSeq(godebug, ",") {
		if s != "" && !strings.HasPrefix(s, "http2xconnect=") {
			keep = append(keep, s)
		}
	}
	return strings.Join(append(keep, setting), ",")
}
