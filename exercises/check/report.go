package main

import (
	"fmt"
	"io"
	"strings"
)

// report prints ✓/✗ for every exercise, the first failing test of the next
// unsolved one, and the summary line.
func report(w io.Writer, exercises []string, statuses map[string]status) {
	solved := 0
	for _, e := range exercises {
		mark := "✗"
		if statuses[e].passed {
			mark = "✓"
			solved++
		}
		fmt.Fprintf(w, "%s %s\n", mark, e)
	}
	if next := nextUnsolved(exercises, statuses); next != "" {
		fmt.Fprintf(w, "\nNext: %s (read %s/README.md; `go run ./check -hint` for a hint)\n", next, next)
		if f := strings.TrimSpace(statuses[next].failure); f != "" {
			fmt.Fprintf(w, "\n%s\n", f)
		}
	} else {
		fmt.Fprintln(w, "\nEvery exercise is solved. Well done!")
	}
	fmt.Fprintf(w, "\n%d of %d solved\n", solved, len(exercises))
}
