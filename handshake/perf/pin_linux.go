//go:build linux

package main

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// ANCHOR: pin

// pin binds every thread of this process to one CPU with sched_setaffinity,
// so that the client, and every server it starts afterwards (a child
// inherits its parent's CPU mask), run on that CPU alone.
//
// Why: on a machine with two or more CPUs, a round trip over loopback
// wakes the other process on whichever CPU the scheduler picks. Waking a
// thread on another CPU costs an inter-processor interrupt and a cold
// cache; on this project's 2-vCPU machine that made the same round trip
// take either about 20 µs or about 60 µs, so an unpinned median was a coin
// toss between the two. On one CPU every wake-up is the same kind.
func pin(cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	// sched_setaffinity acts on one thread; Go runs on several, and starts
	// new ones as clones of these, which inherit the mask.
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil {
			return fmt.Errorf("pinning thread %d to CPU %d: %w", tid, cpu, err)
		}
	}
	return nil
}

// ANCHOR_END: pin

// pinnable reports whether this system can pin, and why not.
func pinnable() (bool, string) { return true, "" }
