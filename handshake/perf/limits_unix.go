//go:build unix

package main

import "syscall"

// raiseFileLimit lifts this process's open-file limit to its hard limit:
// 10,000 idle connections need 10,000 descriptors on each side. The
// servers it starts inherit the new limit.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}
