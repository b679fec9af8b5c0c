package classroom

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// DefaultBook is where the chapters are read when no book URL is given:
// the book's sources in the workbook's repository (book.toml's
// git-repository-url), which GitHub renders.
const DefaultBook = "https://github.com/websocket-in-go/workbook/blob/main/chapters/"

// instructorsOnly are the folders of the exercises module that are never
// handed out: the instructors' commands and this package.
var instructorsOnly = []string{"handout", "grade", "internal"}

// skip reports whether a path (relative to the exercises) stays behind;
// chosen is the set of exercises handed out.
func skip(rel string, d fs.DirEntry, chosen map[string]bool) bool {
	name := d.Name()
	if d.IsDir() {
		if IsExercise(rel) && !chosen[rel] {
			return true
		}
		return slices.Contains(instructorsOnly, rel) || name == "mutants" || name == "vendor" || name == ".git"
	}
	return strings.HasSuffix(name, "_solution.go") || name == ".progress" || name == ".timings.json" || rel == "INSTRUCTORS.md" ||
		strings.HasSuffix(name, ".tar.gz") || strings.HasSuffix(name, ".zip")
}

// Copy copies the exercises at src to dst, which must not exist, minus
// what students do not get: the reference solutions (*_solution.go), the
// mutants, INSTRUCTORS.md, the runner's .progress file, the instructors'
// commands, and every exercise not in exercises. It takes the build
// constraints off the stubs (with nothing else to choose from they are
// always built) and turns every link into the book (../../chapters/X.md)
// into a link to the published chapter under book, so that no link points
// outside the copy; the README's rows of exercises left out are dropped.
// It returns the number of files copied.
func Copy(src, dst, book string, exercises []string) (int, error) {
	if _, err := os.Stat(dst); err == nil {
		return 0, fmt.Errorf("%s exists already; choose a new folder", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	all, err := Exercises(src)
	if err != nil {
		return 0, err
	}
	chosen := map[string]bool{}
	for _, e := range exercises {
		if !slices.Contains(all, e) {
			return 0, fmt.Errorf("no exercise %s in %s", e, src)
		}
		chosen[e] = true
	}
	var left []string
	for _, e := range all {
		if !chosen[e] {
			left = append(left, e)
		}
	}
	files := 0
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if skip(rel, d, chosen) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil // a symlink or a device is nothing a student needs
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch filepath.Ext(path) {
		case ".go":
			data = []byte(StripConstraint(string(data)))
		case ".md":
			text := dropRows(string(data), left)
			if rel == "README.md" {
				text = Count(text, len(exercises))
			}
			text, err := Relink(text, filepath.Dir(rel), book)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			data = []byte(text)
		}
		files++
		return os.WriteFile(target, data, 0o644)
	})
	return files, err
}

// dropRows removes the lines of a Markdown file that link to an exercise
// left out (the README's table of exercises), so that every link of a
// partial handout resolves.
func dropRows(md string, left []string) string {
	if len(left) == 0 {
		return md
	}
	lines := strings.SplitAfter(md, "\n")
	kept := lines[:0]
	for _, line := range lines {
		if !slices.ContainsFunc(left, func(e string) bool { return strings.Contains(line, "]("+e+"/") }) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "")
}

// constraint is a stub's build line (which names what the handout leaves
// out) and the blank line after it; anchor is a book-include marker.
var (
	constraint = regexp.MustCompile(`\A//go:build [^\n]*\n\n`)
	anchor     = regexp.MustCompile(`(?m)^// ANCHOR: \w+\n\n?`)
	anchorEnd  = regexp.MustCompile(`(?m)\n*^// ANCHOR_END: \w+\n`)
)

// StripConstraint takes a Go file's build line, and the markers that
// include the stub in the book, off.
func StripConstraint(src string) string {
	src = constraint.ReplaceAllString(src, "")
	src = anchor.ReplaceAllString(src, "")
	return anchorEnd.ReplaceAllString(src, "\n")
}

// mdLink is a Markdown link's target: ](target) or ](target#fragment).
var mdLink = regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)

// Relink rewrites the links of a Markdown file at dir (relative to the
// exercises) that leave the exercises: one into chapters/ becomes a link
// to the published chapter under book; any other is an error, because it
// would not resolve in the copy.
func Relink(md, dir, book string) (string, error) {
	var bad []string
	out := mdLink.ReplaceAllStringFunc(md, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		target, fragment := sub[1], sub[2]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			return m
		}
		inside := filepath.ToSlash(filepath.Clean(filepath.Join(dir, target)))
		if inside != ".." && !strings.HasPrefix(inside, "../") {
			return m // stays inside the exercises
		}
		chapter, ok := strings.CutPrefix(inside, "../chapters/")
		if !ok || strings.Contains(chapter, "/") || !strings.HasSuffix(chapter, ".md") {
			bad = append(bad, target)
			return m
		}
		if !strings.Contains(book, "/blob/") {
			chapter = strings.TrimSuffix(chapter, ".md") + ".html"
		}
		return "](" + strings.TrimSuffix(book, "/") + "/" + chapter + fragment + ")"
	})
	if len(bad) > 0 {
		return "", fmt.Errorf("links leave the exercises and are not chapters of the book: %s", strings.Join(bad, ", "))
	}
	return out, nil
}

// counted are the README's sentences that count the exercises: its first
// ("Seventeen classroom exercises") and the runner's summary line
// ("`3 of 17 solved`").
var (
	countedFirst   = regexp.MustCompile(`(?m)^[A-Z][a-z-]+ classroom exercises? `)
	countedSummary = regexp.MustCompile("`(\\d+) of \\d+ solved`")
)

// numbers are the words for the counts a handout can have.
var numbers = strings.Fields("zero one two three four five six seven eight nine ten eleven twelve thirteen " +
	"fourteen fifteen sixteen seventeen eighteen nineteen twenty")

// Count makes the exercises' README count n exercises, the number handed
// out, where it counts them.
func Count(md string, n int) string {
	word := strconv.Itoa(n)
	if n < len(numbers) {
		word = numbers[n]
	}
	word = strings.ToUpper(word[:1]) + word[1:]
	noun := "classroom exercises "
	if n == 1 {
		noun = "classroom exercise "
	}
	md = countedFirst.ReplaceAllLiteralString(md, word+" "+noun)
	return countedSummary.ReplaceAllStringFunc(md, func(m string) string {
		solved, _ := strconv.Atoi(countedSummary.FindStringSubmatch(m)[1])
		return fmt.Sprintf("`%d of %d solved`", min(solved, n), n)
	})
}
