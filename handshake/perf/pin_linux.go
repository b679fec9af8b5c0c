//go:build linux

package main

import (
	"fmt"
	"os"
	"runtime"
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
// cache; on this project's 2-vCPU machine, quiet, that made the same round
// trip take either about 20 µs or about 60 µs (issue 17), so an unpinned
// median was a coin toss between the two. On one CPU every wake-up is the
// same kind. (-wakeups measures it on the machine at hand.)
func pin(cpu int) error { return pinProcess(0, cpu) }

// pinProcess pins every thread of process pid (0: this one) to cpu.
func pinProcess(pid, cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	return setAffinity(pid, &set)
}

// unpinProcess lets every thread of process pid (0: this one) run on
// every CPU again.
func unpinProcess(pid int) error {
	var set unix.CPUSet
	for cpu := range runtime.NumCPU() {
		set.Set(cpu)
	}
	return setAffinity(pid, &set)
}

func setAffinity(pid int, set *unix.CPUSet) error {
	dir := "/proc/self/task"
	if pid != 0 {
		dir = fmt.Sprintf("/proc/%d/task", pid)
	}
	tasks, err := os.ReadDir(dir)
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
		if err := unix.SchedSetaffinity(tid, set); err != nil {
			return fmt.Errorf("setting the CPUs of thread %d: %w", tid, err)
		}
	}
	return nil
}

// ANCHOR_END: pin

// pinnable reports whether this system can pin, and why not.
func pinnable() (bool, string) { return true, "" }
