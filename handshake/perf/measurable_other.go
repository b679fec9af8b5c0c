//go:build !linux

package main

import (
	"errors"
	"runtime"
)

// measurable reports whether this system can take the measurements: the
// memory per connection is read from /proc/PID/status and the machine's
// quiet from /proc/stat, which only Linux has.
func measurable() error {
	return errors.New("the measurements read /proc (memory per connection, how busy the machine is), which only Linux has, not " + runtime.GOOS + ": run it on Linux (a VM, or WSL 2 on Windows)")
}
