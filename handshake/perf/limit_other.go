//go:build !unix

package main

// raiseFileLimit does nothing where there is no RLIMIT_NOFILE (Windows):
// the idle-connection steps then stop at the system's own limit, and the
// report says where.
func raiseFileLimit() {}
