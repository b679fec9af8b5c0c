package chapters

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxColumns is the widest listing line the book shows without a scroll
// bar at 1,200 px: mdBook's 750 px column holds about 90 characters of its
// monospace font, and listings.css renders a tab as 4 columns.
const maxColumns = 90

// longLinesFile lists the included lines that are still wider than
// maxColumns, by chapter and include, with their count. It may only
// shrink: a new long line fails TestListingWidth, and so does a listed
// count that is now too high (run with -update to tighten it).
const longLinesFile = "testdata/long-lines.txt"

// TestListingWidth: no included line of a code block is wider than
// maxColumns, tabs counted as 4, beyond those longLinesFile still lists.
// That holds for every language: Go, JavaScript, HTML and nginx's
// configuration, and the recorded outputs (text, console, http), which
// the reader also has to scroll. An output line is shortened where it is
// made: a narrower command, a wrapped message, a shorter name.
func TestListingWidth(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	got := map[string]int{}
	for _, ch := range chapters {
		data, err := os.ReadFile(ch)
		require.NoError(t, err)
		for key, n := range longLines(ch, string(data)) {
			got[key] = n
		}
	}
	if *update {
		var lines []string
		for key, n := range got {
			lines = append(lines, fmt.Sprintf("%d %s", n, key))
		}
		slices.Sort(lines)
		require.NoError(t, os.MkdirAll(filepath.Dir(longLinesFile), 0o755))
		text := "# included lines over 90 columns, by chapter and include (TestListingWidth)\n"
		require.NoError(t, os.WriteFile(longLinesFile, []byte(text+strings.Join(lines, "\n")+"\n"), 0o644))
		return
	}
	allowed := map[string]int{}
	data, err := os.ReadFile(longLinesFile)
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		count, key, ok := strings.Cut(line, " ")
		if n, err := strconv.Atoi(count); ok && err == nil {
			allowed[key] = n
		}
	}
	for key, n := range got {
		assert.LessOrEqual(t, n, allowed[key], "%s: %d lines over %d columns (tabs as 4); wrap them", key, n, maxColumns)
	}
	for key, n := range allowed {
		assert.LessOrEqual(t, n, got[key], "%s: now %d long lines, %s lists %d: go test ./chapters -run TestListingWidth -update",
			key, got[key], longLinesFile, n)
	}
}

// longLines counts, for each include in a code block of the chapter (of
// any language), the included lines wider than maxColumns, keyed
// "chapter include-target".
func longLines(chapter, text string) map[string]int {
	out := map[string]int{}
	open := false
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			open = !open
			continue
		}
		// Markdown included outside a code block (a table) is not a listing.
		if !open || !includeRE.MatchString(line) {
			continue
		}
		inc := Includes(chapter, line)[0]
		included, err := Resolve(inc)
		if err != nil {
			continue // TestEveryIncludeResolves reports it
		}
		for _, l := range strings.Split(included, "\n") {
			if len([]rune(strings.ReplaceAll(l, "\t", "    "))) > maxColumns {
				out[chapter+" "+inc.Target]++
			}
		}
	}
	return out
}

// TestLongLines checks the counter on a small chapter.
func TestLongLines(t *testing.T) {
	dir := t.TempDir()
	long := "\t\t" + strings.Repeat("x", maxColumns-7) // 8 + 83 = 91 columns
	fits := "\t\t" + strings.Repeat("x", maxColumns-8)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte(long+"\n"+fits+"\n"+long+"\n"), 0o644))
	ch := filepath.Join(dir, "c.md")
	text := "```go\n{{#include a.go}}\n```\n\n```text\n{{#include a.go:2}}\n```\n{{#include a.go}}\n" +
		"```text\n{{#include a.go:3}}\n```\n"
	assert.Equal(t, map[string]int{ch + " a.go": 2, ch + " a.go:3": 1}, longLines(ch, text),
		"Go and text blocks are counted, Markdown outside a block is not")
}
