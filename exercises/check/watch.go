package main

import (
	"context"
	"os"
	"strings"
	"time"
)

// snapshot returns the modification time of every .go file in the
// exercise folder dir (not in its subfolders).
func snapshot(dir string) map[string]time.Time {
	times := map[string]time.Time{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		if info, err := e.Info(); err == nil {
			times[e.Name()] = info.ModTime()
		}
	}
	return times
}

// changed reports whether a file was added, removed or modified.
func changed(before, after map[string]time.Time) bool {
	if len(before) != len(after) {
		return true
	}
	for path, t := range after {
		if !before[path].Equal(t) {
			return true
		}
	}
	return false
}

// waitForChange waits until a .go file of the exercise folder dir differs
// from before, and returns the time of the change (zero: ctx ended first).
func waitForChange(ctx context.Context, dir string, before map[string]time.Time) time.Time {
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return time.Time{}
		case <-tick.C:
			if after := snapshot(dir); changed(before, after) {
				return latest(after, time.Now())
			}
		}
	}
}

// latest is the newest modification time in times, or now if none (a
// removed file) or if the newest is in the future (a clock skew).
func latest(times map[string]time.Time, now time.Time) time.Time {
	var newest time.Time
	for _, t := range times {
		if t.After(newest) {
			newest = t
		}
	}
	if newest.IsZero() || newest.After(now) {
		return now
	}
	return newest
}
