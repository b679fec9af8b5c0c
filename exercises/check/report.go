package main

import (
	"fmt"
	"io"
	"strings"
)

// showFailure prints the first failing test's output (without go test's
// === RUN lines) and what to read next.
func showFailure(w io.Writer, ex string, s status) {
	var kept []string
	for line := range strings.SplitSeq(s.failure, "\n") {
		if !strings.HasPrefix(line, "=== ") {
			kept = append(kept, line)
		}
	}
	if f := strings.Trim(strings.Join(kept, "\n"), "\n"); strings.TrimSpace(f) != "" {
		fmt.Fprintf(w, "\n%s\n", f)
	}
	if s.failed > 1 {
		fmt.Fprintf(w, "\n(the first of %d failures: go test ./%s/ shows them all)\n", s.failed, ex)
	}
	fmt.Fprintf(w, "\nNext: %s (read its README.md; `go run ./check -hint` for a hint)\n", ex)
}

// summary prints the progress line.
func summary(w io.Writer, exercises []string, p *progress) {
	solved := 0
	for _, e := range exercises {
		if p.Results[e] {
			solved++
		}
	}
	fmt.Fprintf(w, "\n%d of %d solved\n", solved, len(exercises))
}

// list prints every exercise with its last result: ✓ passed, ✗ failed,
// · not checked yet; and marks the current one.
func list(w io.Writer, exercises []string, p *progress, current string) {
	for _, e := range exercises {
		mark := "·"
		if passed, checked := p.Results[e]; checked {
			mark = map[bool]string{true: "✓", false: "✗"}[passed]
		}
		here := ""
		if e == current {
			here = "   ← current"
		}
		fmt.Fprintf(w, "%s %s%s\n", mark, e, here)
	}
	summary(w, exercises, p)
}
