package chapters

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// includeRE finds mdBook's file-inclusion links in a chapter.
var includeRE = regexp.MustCompile(`\{\{#(include|rustdoc_include|playground)\s+([^}\s]+)\s*\}\}`)

// anchorRE finds an anchor marker on a line, as mdBook 0.4.4 does.
var anchorRE = regexp.MustCompile(`ANCHOR(_END)?:\s*([\w_-]+)`)

// Include is one {{#include …}} in a chapter.
type Include struct {
	Chapter string // the chapter file
	Target  string // what follows the keyword: file[:anchor | :start:end]
}

// Includes returns every include in the chapter's text.
func Includes(chapter, text string) []Include {
	var out []Include
	for _, m := range includeRE.FindAllStringSubmatch(text, -1) {
		out = append(out, Include{Chapter: chapter, Target: m[2]})
	}
	return out
}

// Resolve returns the text mdBook would insert for inc, or an error if the
// file is missing, the anchor is missing, unmatched or empty, the line range
// is outside the file, or an anchor marker would leak into the book.
func Resolve(inc Include) (string, error) {
	file, spec, _ := strings.Cut(inc.Target, ":")
	path := filepath.Join(filepath.Dir(inc.Chapter), file)
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: include %s: %v", inc.Chapter, inc.Target, err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")

	var text string
	switch {
	case spec == "":
		text = strings.Join(lines, "\n")
	case isRange(spec):
		text, err = lineRange(lines, spec)
	default:
		text, err = anchor(lines, spec)
	}
	if err != nil {
		return "", fmt.Errorf("%s: include %s: %v", inc.Chapter, inc.Target, err)
	}
	if anchorRE.MatchString(text) {
		return "", fmt.Errorf("%s: include %s: an ANCHOR marker would appear in the book", inc.Chapter, inc.Target)
	}
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s: include %s: includes nothing", inc.Chapter, inc.Target)
	}
	return text, nil
}

// isRange reports whether spec is a line range: "10", "10:20", "10:", ":20".
func isRange(spec string) bool {
	for _, part := range strings.Split(spec, ":") {
		if _, err := strconv.Atoi(part); part != "" && err != nil {
			return false
		}
	}
	return true
}

// lineRange returns lines start..end (1-based, inclusive) as mdBook reads
// "start:end"; a missing start is 1, a missing end is the last line, and a
// single number is that one line.
func lineRange(lines []string, spec string) (string, error) {
	parts := strings.Split(spec, ":")
	if len(parts) > 2 {
		return "", fmt.Errorf("bad line range %q", spec)
	}
	start, end := 1, len(lines)
	if parts[0] != "" {
		start, _ = strconv.Atoi(parts[0])
	}
	if len(parts) == 1 {
		end = start
	} else if parts[1] != "" {
		end, _ = strconv.Atoi(parts[1])
	}
	if start < 1 || end > len(lines) || start > end {
		return "", fmt.Errorf("line range %q is outside the file's %d lines", spec, len(lines))
	}
	return strings.Join(lines[start-1:end], "\n"), nil
}

// anchor returns the lines between "ANCHOR: name" and "ANCHOR_END: name",
// without the lines of other anchors inside it, as mdBook does.
func anchor(lines []string, name string) (string, error) {
	start, end := -1, -1
	for i, line := range lines {
		for _, m := range anchorRE.FindAllStringSubmatch(line, -1) {
			if m[2] != name {
				continue
			}
			switch {
			case m[1] == "" && start >= 0:
				return "", fmt.Errorf("anchor %q starts twice", name)
			case m[1] == "":
				start = i
			case end >= 0:
				return "", fmt.Errorf("anchor %q ends twice", name)
			default:
				end = i
			}
		}
	}
	switch {
	case start < 0:
		return "", fmt.Errorf("no ANCHOR: %s", name)
	case end < 0:
		return "", fmt.Errorf("ANCHOR: %s has no ANCHOR_END", name)
	case end < start:
		return "", fmt.Errorf("ANCHOR_END: %s comes before its ANCHOR", name)
	}
	var kept []string
	for _, line := range lines[start+1 : end] {
		if !anchorRE.MatchString(line) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n"), nil
}

// linkRE finds Markdown links and images: [text](target) and ![alt](target).
var linkRE = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)\)`)

// BrokenLinks returns the relative link targets in a chapter's text that
// name files that do not exist.
func BrokenLinks(chapter, text string) []string {
	var broken []string
	for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		target, _, _ = strings.Cut(target, "#")
		if _, err := os.Stat(filepath.Join(filepath.Dir(chapter), target)); err != nil {
			broken = append(broken, m[1])
		}
	}
	return broken
}

// summaryLinkRE finds the chapters listed in SUMMARY.md.
var summaryLinkRE = regexp.MustCompile(`\]\(([^)]+\.md)\)`)

// Chapters returns the chapter files SUMMARY.md lists, relative to dir.
func Chapters(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "SUMMARY.md"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range summaryLinkRE.FindAllStringSubmatch(string(data), -1) {
		out = append(out, filepath.Join(dir, m[1]))
	}
	return out, nil
}
