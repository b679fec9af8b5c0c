// Command check is the exercises' progress runner, for the chapter
// "Exercises" of the workbook "WebSocket in Go". Run it inside exercises/:
//
//	go run ./check           # ✓/✗ for every exercise, the next failing test
//	go run ./check -hint     # the next hint for the next unsolved exercise
//	go run ./check -watch    # run again whenever a .go file changes
//
// It runs `go test` on the exercises as you wrote them, and never reads the
// reference solutions.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// pollEvery is how often -watch looks at the files' modification times.
const pollEvery = time.Second

func main() {
	hint := flag.Bool("hint", false, "print the next hint for the next unsolved exercise")
	watch := flag.Bool("watch", false, "run the tests again whenever a .go file changes")
	flag.Parse()
	if err := run(os.Stdout, ".", *hint, *watch); err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, root string, hint, watch bool) error {
	exercises, err := findExercises(root)
	if err != nil {
		return err
	}
	if len(exercises) == 0 {
		return fmt.Errorf("no exercises in %s: run check inside the exercises folder", root)
	}
	if hint {
		statuses, err := testAll(root, exercises)
		if err != nil {
			return err
		}
		return printHint(w, root, nextUnsolved(exercises, statuses))
	}
	for {
		statuses, err := testAll(root, exercises)
		if err != nil {
			return err
		}
		report(w, exercises, statuses)
		if !watch {
			return nil
		}
		fmt.Fprintln(w, "\nwatching for changes (Ctrl-C to stop)…")
		before := snapshot(root)
		for !changed(before, snapshot(root)) {
			time.Sleep(pollEvery)
		}
		fmt.Fprintln(w)
	}
}
