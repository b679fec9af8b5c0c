//go:build !linux

package main

import "errors"

// pin is Linux-only: other systems have no sched_setaffinity.
func pin(int) error {
	return errors.New("cannot pin to one CPU on this system (sched_setaffinity is Linux-only)")
}

// pinnable reports whether this system can pin, and why not.
func pinnable() (bool, string) {
	return false, "this system has no sched_setaffinity: the client and the servers run on whichever CPUs the scheduler picks, and round trips that wake a process on another CPU are slower, so the numbers are noisy"
}

// pinProcess is Linux-only, as pin.
func pinProcess(int, int) error { return pin(0) }

// unpinProcess is Linux-only, as pin.
func unpinProcess(int) error { return pin(0) }
