package main

import (
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// snapshot returns the modification time of every .go and .md file under
// root (solution files aside: the runner never looks at them).
func snapshot(root string) map[string]time.Time {
	times := map[string]time.Time{}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_solution.go") {
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			if info, err := d.Info(); err == nil {
				times[path] = info.ModTime()
			}
		}
		return nil
	})
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
