package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Grade is one submission's grade, as results.json holds it.
type Grade struct {
	Submission string    `json:"submission"`
	Source     string    `json:"source"`
	Race       bool      `json:"race"`
	Timeout    float64   `json:"timeout_seconds"` // per exercise
	Solved     int       `json:"solved"`
	Total      int       `json:"total"`
	Exercises  []Result  `json:"exercises"`
	Ignored    []Ignored `json:"ignored"`
	// Timings is the runner's record of when the student started and
	// solved each exercise, as far as it is believed.
	Timings SubmissionTimings `json:"timings"`
}

// writeJSON writes grades, indented, to path.
func writeJSON(path string, grades []Grade) error {
	data, err := json.MarshalIndent(grades, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// summary is the class's table in Markdown: a row per submission, a
// column per exercise (✓ passed, ✗ failed, ✗! tampered, · nothing
// submitted), and how many solved each exercise; then why each tampered
// exercise was not believed, and what each submission had ignored.
func summary(exercises []string, grades []Grade) string {
	var b strings.Builder
	b.WriteString("| submission |")
	for _, ex := range exercises {
		number, _, _ := strings.Cut(ex, "-")
		fmt.Fprintf(&b, " %s |", number)
	}
	b.WriteString(" solved |\n|---|")
	b.WriteString(strings.Repeat("---|", len(exercises)+1) + "\n")
	solvedBy := make([]int, len(exercises))
	for _, g := range grades {
		fmt.Fprintf(&b, "| %s |", cell(g.Submission))
		for i, r := range g.Exercises {
			mark := "✗"
			switch {
			case r.Tampered != "":
				mark = "✗!"
			case r.Passed:
				mark = "✓"
				solvedBy[i]++
			case !r.Submitted:
				mark = "·"
			}
			fmt.Fprintf(&b, " %s |", mark)
		}
		fmt.Fprintf(&b, " %d of %d |\n", g.Solved, g.Total)
	}
	b.WriteString("| **solved by** |")
	for _, n := range solvedBy {
		fmt.Fprintf(&b, " %d |", n)
	}
	fmt.Fprintf(&b, " of %d |\n", len(grades))
	for _, g := range grades {
		for _, r := range g.Exercises {
			if r.Tampered != "" {
				fmt.Fprintf(&b, "\n%s: %s tampered: %s\n", cell(g.Submission), r.Exercise, r.Tampered)
			}
		}
	}
	for _, g := range grades {
		if len(g.Ignored) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s: ignored %d files:\n", cell(g.Submission), len(g.Ignored))
		for _, ig := range g.Ignored {
			fmt.Fprintf(&b, "- `%s`: %s\n", strings.ReplaceAll(ig.Path, "`", "'"), ig.Why)
		}
	}
	return b.String()
}

// cell makes text safe in a table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "/", "\n", " ", "\r", " ").Replace(s)
}
