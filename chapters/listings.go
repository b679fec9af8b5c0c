package chapters

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// captionRE is a listing's caption, the line above its code block:
// "Listing 2.3 — `handshake/accept.go`: the accept key".
var captionRE = regexp.MustCompile("^Listing ([0-9.]+) — `([^`]+)`: (.+)$")

// referenceRE is "Listing 2.3" anywhere in a chapter's text.
var referenceRE = regexp.MustCompile(`Listing ([0-9]+(?:\.[0-9]+)+)`)

// Listing is one captioned code block of a chapter.
type Listing struct {
	Chapter string // the chapter file
	Line    int    // the caption's line, 1-based (0 if there is no caption)
	Number  string // "2.3"
	File    string // the file named in the caption
	Include Include
}

// Sections returns the number mdBook gives each chapter SUMMARY.md lists
// ("1", "9.1"), by file; prefix and suffix chapters have none ("").
func Sections(dir string) (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "SUMMARY.md"))
	if err != nil {
		return nil, err
	}
	item := regexp.MustCompile(`^(\s*)[-*] \[[^\]]*\]\(([^)]+\.md)\)`)
	plain := regexp.MustCompile(`^\[[^\]]*\]\(([^)]+\.md)\)`)
	out := map[string]string{}
	var indents []int // the indentation of each open level
	var counts []int  // the count at each open level
	for _, line := range strings.Split(string(data), "\n") {
		if m := plain.FindStringSubmatch(line); m != nil {
			out[filepath.Join(dir, m[1])] = ""
			continue
		}
		m := item.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		indent := len(m[1])
		for len(indents) > 0 && indent < indents[len(indents)-1] {
			indents, counts = indents[:len(indents)-1], counts[:len(counts)-1]
		}
		if len(indents) == 0 || indent > indents[len(indents)-1] {
			indents, counts = append(indents, indent), append(counts, 0)
		}
		counts[len(counts)-1]++
		parts := make([]string, len(counts))
		for i, c := range counts {
			parts[i] = strconv.Itoa(c)
		}
		out[filepath.Join(dir, m[2])] = strings.Join(parts, ".")
	}
	return out, nil
}

// fenced reports, for each line of text, whether it lies inside a fenced
// code block (the fence lines themselves count as inside).
func fenced(lines []string) []bool {
	in := make([]bool, len(lines))
	open := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			in[i] = true
			open = !open
			continue
		}
		in[i] = open
	}
	return in
}

// Listings returns the chapter's included code blocks in order, with the
// caption above each, and the problems found: an include in a code block
// with no caption above the block, a caption that names another file, or
// a caption with no included code block under it.
func Listings(chapter, text string) ([]Listing, []error) {
	lines := strings.Split(text, "\n")
	in := fenced(lines)
	var out []Listing
	var errs []error
	captioned := map[int]bool{} // caption lines that have their block
	for i, line := range lines {
		if !in[i] || !includeRE.MatchString(line) {
			continue
		}
		inc := Includes(chapter, line)[0]
		open := i
		for open > 0 && !strings.HasPrefix(strings.TrimSpace(lines[open]), "```") {
			open--
		}
		if open < i-1 {
			continue // a second include in the same block shares its caption
		}
		above := open - 1
		for above >= 0 && strings.TrimSpace(lines[above]) == "" {
			above--
		}
		l := Listing{Chapter: chapter, Include: inc}
		m := []string(nil)
		if above >= 0 {
			m = captionRE.FindStringSubmatch(lines[above])
		}
		file, _, _ := strings.Cut(inc.Target, ":")
		// The file as the reader finds it, from the top of the repository.
		want := filepath.ToSlash(filepath.Join("chapters", filepath.Dir(chapter), file))
		if m == nil {
			errs = append(errs, fmt.Errorf("%s:%d: the listing of %s has no caption; add the line "+
				"\"Listing 0.0 — `%s`: what it shows\" and a blank line above it, then run "+
				"go test ./chapters -run TestListings -update to number it", chapter, open+1, inc.Target, want))
			out = append(out, l)
			continue
		}
		l.Line, l.Number, l.File = above+1, m[1], m[2]
		captioned[above] = true
		if l.File != want {
			errs = append(errs, fmt.Errorf("%s:%d: the caption names %s, the listing includes %s", chapter, above+1, l.File, want))
		}
		out = append(out, l)
	}
	for i, line := range lines {
		if captionRE.MatchString(line) && !in[i] && !captioned[i] {
			errs = append(errs, fmt.Errorf("%s:%d: a caption with no included code block under it", chapter, i+1))
		}
	}
	return out, errs
}

// Numbering checks that the listings of a chapter numbered section are
// numbered section.1, section.2, … in order. It returns the problems.
func Numbering(chapter, section string, listings []Listing) []error {
	var errs []error
	for k, l := range listings {
		if l.Line == 0 {
			continue
		}
		if section == "" {
			errs = append(errs, fmt.Errorf("%s:%d: an unnumbered chapter has a numbered listing", chapter, l.Line))
			continue
		}
		if want := fmt.Sprintf("%s.%d", section, k+1); l.Number != want {
			errs = append(errs, fmt.Errorf("%s:%d: Listing %s should be Listing %s (go test ./chapters -run TestListings -update renumbers)",
				chapter, l.Line, l.Number, want))
		}
	}
	return errs
}

// References returns the "Listing N.M" references in a chapter's text
// (captions excepted) that name no listing in known.
func References(chapter, text string, known map[string]bool) []error {
	var errs []error
	for i, line := range strings.Split(text, "\n") {
		if captionRE.MatchString(line) {
			continue
		}
		for _, m := range referenceRE.FindAllStringSubmatch(line, -1) {
			if !known[m[1]] {
				errs = append(errs, fmt.Errorf("%s:%d: Listing %s: there is no such listing", chapter, i+1, m[1]))
			}
		}
	}
	return errs
}

// Renumber rewrites a chapter's captions to section.1, section.2, … and
// its references: those to its own listings by renames, those to other
// chapters' by others (old number to new, for numbers that are unique).
func Renumber(text, section string, listings []Listing, others map[string]string) string {
	renames := map[string]string{} // old number to new, first caption wins
	atLine := map[int]string{}     // caption line (0-based) to its new number
	for k, l := range listings {
		if l.Line == 0 {
			continue
		}
		n := fmt.Sprintf("%s.%d", section, k+1)
		atLine[l.Line-1] = n
		if _, ok := renames[l.Number]; !ok {
			renames[l.Number] = n
		}
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if m := captionRE.FindStringSubmatch(line); m != nil {
			if n, ok := atLine[i]; ok {
				lines[i] = strings.Replace(line, "Listing "+m[1], "Listing "+n, 1)
			}
			continue
		}
		lines[i] = referenceRE.ReplaceAllStringFunc(line, func(ref string) string {
			old := strings.TrimPrefix(ref, "Listing ")
			if n, ok := renames[old]; ok {
				return "Listing " + n
			}
			if n, ok := others[old]; ok {
				return "Listing " + n
			}
			return ref
		})
	}
	return strings.Join(lines, "\n")
}

// declRE finds the first thing a Go or JavaScript listing declares.
var declRE = regexp.MustCompile(`(?m)^(?:func (?:\(\w+ \*?(\w+)\) )?(\w+)|type (\w+)|(?:async )?function (\w+))`)

// Caption adds a caption above every included code block of the chapter
// that has none, and corrects the file a caption names if the listing
// now includes another: "Listing 0.0 — `file`: what", where what is the first
// name the listing declares, or its anchor's name. Renumber then numbers
// it. A caption written this way says which code it is; a person should
// say what it shows.
func Caption(chapter, text string) string {
	listings, _ := Listings(chapter, text)
	lines := strings.Split(text, "\n")
	in := fenced(lines)
	var add = map[int]string{} // fence line (0-based) to the caption above it
	for i, line := range lines {
		if !in[i] || !includeRE.MatchString(line) || i == 0 || !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "```") {
			continue
		}
		inc := Includes(chapter, line)[0]
		if captionedAt(listings, inc) {
			continue
		}
		file, anchorName, _ := strings.Cut(inc.Target, ":")
		what := strings.ReplaceAll(anchorName, "-", " ")
		if body, err := Resolve(inc); err == nil {
			if m := declRE.FindStringSubmatch(body); m != nil {
				switch {
				case m[1] != "":
					what = "`" + m[1] + "." + m[2] + "`"
				case m[2] != "":
					what = "`" + m[2] + "`"
				case m[3] != "":
					what = "`" + m[3] + "`"
				default:
					what = "`" + m[4] + "()`"
				}
			}
		}
		if what == "" || isRange(anchorName) && anchorName != "" {
			what = "the file"
		}
		path := filepath.ToSlash(filepath.Join("chapters", filepath.Dir(chapter), file))
		add[i-1] = fmt.Sprintf("Listing 0.0 — `%s`: %s", path, what)
	}
	// A caption that names another file than its listing includes (the
	// file moved) names the included one.
	for _, l := range listings {
		if l.Line == 0 {
			continue
		}
		file, _, _ := strings.Cut(l.Include.Target, ":")
		path := filepath.ToSlash(filepath.Join("chapters", filepath.Dir(chapter), file))
		if l.File != path {
			lines[l.Line-1] = strings.Replace(lines[l.Line-1], "`"+l.File+"`", "`"+path+"`", 1)
		}
	}
	var out []string
	for i, line := range lines {
		if c, ok := add[i]; ok {
			if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) != "" {
				out = append(out, "")
			}
			out = append(out, c, "")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// captionedAt reports whether the listing of inc has a caption.
func captionedAt(listings []Listing, inc Include) bool {
	for _, l := range listings {
		if l.Include == inc {
			return l.Line != 0
		}
	}
	return false
}
