package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ANCHOR: quiet

// waitForQuiet waits until the machine's CPUs are at most busyLimit busy
// over a sample of one second, at most patience in all, and returns the
// last busy fraction it saw (0–1). Another program's load lands on the
// pinned CPU as well, and would tilt whichever server it met.
func waitForQuiet(busyLimit float64, patience time.Duration) (float64, error) {
	deadline := time.Now().Add(patience)
	for {
		busy, err := busyOver(time.Second)
		if err != nil || busy <= busyLimit || time.Now().After(deadline) {
			return busy, err
		}
		fmt.Fprintf(os.Stderr, "waiting for a quiet machine: CPUs %.0f%% busy\n", busy*100)
	}
}

// ANCHOR_END: quiet

// busyOver samples /proc/stat twice, d apart, and returns the fraction of
// CPU time in between that was not idle.
func busyOver(d time.Duration) (float64, error) {
	idle1, total1, err := cpuTimes()
	if err != nil {
		return 0, err
	}
	time.Sleep(d) // a measuring interval, not synchronisation
	idle2, total2, err := cpuTimes()
	if err != nil {
		return 0, err
	}
	if total2 == total1 {
		return 0, nil
	}
	return 1 - float64(idle2-idle1)/float64(total2-total1), nil
}

// cpuTimes reads the all-CPU line of /proc/stat: idle (idle + iowait) and
// total jiffies.
func cpuTimes() (idle, total uint64, err error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseCPULine(string(data))
}

// parseCPULine parses the first line of /proc/stat:
// "cpu  user nice system idle iowait irq softirq steal ...".
func parseCPULine(stat string) (idle, total uint64, err error) {
	line, _, _ := strings.Cut(stat, "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return 0, 0, fmt.Errorf("unexpected /proc/stat line %q", line)
	}
	for i, f := range fields[1:] {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/stat field %q: %w", f, err)
		}
		total += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	return idle, total, nil
}
