// Command handout copies the exercises for students, without the reference
// solutions: the chapter "Exercises" of the workbook "WebSocket in Go".
// Run it inside exercises/:
//
//	go run ./handout -o /tmp/class-exercises
//
// It copies every file except *_solution.go, the runner's .progress file,
// and this command itself. The copy is its own Go module: `go run ./check`
// works in it at once.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("o", "", "the folder to create (must not exist yet)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./handout -o DIR")
		os.Exit(2)
	}
	n, err := copyExercises(".", *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "handout:", err)
		os.Exit(1)
	}
	fmt.Printf("copied %d files to %s (no solutions)\n", n, *out)
}

// skip reports whether a path (relative to the exercises) stays behind.
func skip(rel string, d fs.DirEntry) bool {
	name := d.Name()
	return strings.HasSuffix(name, "_solution.go") || name == ".progress" ||
		(d.IsDir() && rel == "handout")
}

// copyExercises copies src to dst, which must not exist, minus what skip
// names, and returns the number of files copied.
func copyExercises(src, dst string) (int, error) {
	if _, err := os.Stat(dst); err == nil {
		return 0, fmt.Errorf("%s exists already; choose a new folder", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	files := 0
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		return os.WriteFile(target, data, 0o644)
	})
	return files, err
}
