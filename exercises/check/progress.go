package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// progressFile remembers the last results and the hints you have seen.
const progressFile = ".progress"

// progress is what progressFile holds.
type progress struct {
	Results map[string]bool `json:"results"` // exercise → passed, at its last check
	Hints   map[string]int  `json:"hints"`   // exercise → hints seen
}

// loadProgress reads root's progress file; a missing or broken one is a
// fresh start.
func loadProgress(root string) *progress {
	p := &progress{}
	if data, err := os.ReadFile(filepath.Join(root, progressFile)); err == nil {
		_ = json.Unmarshal(data, p)
	}
	if p.Results == nil {
		p.Results = map[string]bool{}
	}
	if p.Hints == nil {
		p.Hints = map[string]int{}
	}
	return p
}

func (p *progress) save(root string) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, progressFile), append(data, '\n'), 0o644)
}

// current is the first exercise that did not pass at its last check, or
// "" if every one did.
func (p *progress) current(exercises []string) string {
	for _, e := range exercises {
		if !p.Results[e] {
			return e
		}
	}
	return ""
}

// parseHints splits HINTS.md into its hints: one per "## " section.
func parseHints(md string) []string {
	var hints []string
	for _, part := range strings.Split("\n"+md, "\n## ")[1:] {
		hints = append(hints, "## "+strings.TrimSpace(part))
	}
	return hints
}

// printHint prints the next hint of exercise ex, and remembers it.
func printHint(w io.Writer, root, ex string) error {
	if ex == "" {
		fmt.Fprintln(w, "Every exercise is solved: no hints needed.")
		return nil
	}
	md, err := os.ReadFile(filepath.Join(root, ex, "HINTS.md"))
	if err != nil {
		return err
	}
	hints := parseHints(string(md))
	p := loadProgress(root)
	n := p.Hints[ex]
	if n >= len(hints) {
		fmt.Fprintf(w, "You have seen all %d hints for %s. The chapter its README links to has the rest.\n", len(hints), ex)
		return nil
	}
	fmt.Fprintf(w, "Hint %d of %d for %s:\n\n%s\n", n+1, len(hints), ex, hints[n])
	p.Hints[ex] = n + 1
	return p.save(root)
}
