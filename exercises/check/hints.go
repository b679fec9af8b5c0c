package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// progressFile remembers how many hints of each exercise you have seen.
const progressFile = ".progress"

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
	seen := map[string]int{}
	if data, err := os.ReadFile(filepath.Join(root, progressFile)); err == nil {
		_ = json.Unmarshal(data, &seen)
	}
	n := seen[ex]
	if n >= len(hints) {
		fmt.Fprintf(w, "You have seen all %d hints for %s. The chapter its README links to has the rest.\n", len(hints), ex)
		return nil
	}
	fmt.Fprintf(w, "Hint %d of %d for %s:\n\n%s\n", n+1, len(hints), ex, hints[n])
	seen[ex] = n + 1
	data, _ := json.MarshalIndent(seen, "", "  ")
	return os.WriteFile(filepath.Join(root, progressFile), data, 0o644)
}
