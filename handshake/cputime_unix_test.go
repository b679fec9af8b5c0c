//go:build unix

package handshake

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, user and system. The
// echo benchmarks report it per operation: on a machine shared with other
// work the wall clock counts their turns on the CPU too, the process's own
// CPU time does not.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
