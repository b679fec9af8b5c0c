//go:build !linux

package main

import "testing"

// TestStalledReadersCostLittleMemory reads the server's memory from
// /proc/PID/status, which only Linux has.
func TestStalledReadersCostLittleMemory(t *testing.T) {
	t.Skip("skipping: the memory bound is measured from /proc/PID/status, on Linux only")
}
