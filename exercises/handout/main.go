// Command handout copies the exercises for students, without what is for
// instructors: the chapter "Exercises" of the workbook "WebSocket in Go".
// Run it inside exercises/:
//
//	go run ./handout -o /tmp/class-exercises
//
// It leaves behind the reference solutions (*_solution.go), the wrong
// answers the tests are proved against (mutants/), INSTRUCTORS.md, the
// runner's .progress file and this command itself. It takes the build
// constraints off the stubs (with nothing else to choose from they are
// always built) and turns every link into the book (../../chapters/X.md)
// into a link to the published chapter, so that no link points outside
// the copy. The copy is its own Go module: `go run ./check` works in it
// at once.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// defaultBook is where the chapters are read when no -book is given: the
// book's sources in the workbook's repository (book.toml's
// git-repository-url), which GitHub renders.
const defaultBook = "https://github.com/websocket-in-go/workbook/blob/main/chapters/"

func main() {
	out := flag.String("o", "", "the folder to create (must not exist yet)")
	book := flag.String("book", defaultBook, "the URL the book's chapters are published under: chapters/X.md becomes X.html there (X.md for a GitHub blob/ URL)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./handout [-book URL] -o DIR")
		os.Exit(2)
	}
	n, err := copyExercises(".", *out, *book)
	if err != nil {
		fmt.Fprintln(os.Stderr, "handout:", err)
		os.Exit(1)
	}
	fmt.Printf("copied %d files to %s\n", n, *out)
}

// skip reports whether a path (relative to the exercises) stays behind.
func skip(rel string, d fs.DirEntry) bool {
	name := d.Name()
	if d.IsDir() {
		return rel == "handout" || name == "mutants"
	}
	return strings.HasSuffix(name, "_solution.go") || name == ".progress" || rel == "INSTRUCTORS.md"
}

// copyExercises copies src to dst, which must not exist, minus what skip
// names, rewriting Go files and Markdown on the way (see the package
// comment); it returns the number of files copied.
func copyExercises(src, dst, book string) (int, error) {
	if _, err := os.Stat(dst); err == nil {
		return 0, fmt.Errorf("%s exists already; choose a new folder", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	files := 0
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch filepath.Ext(path) {
		case ".go":
			data = []byte(stripConstraint(string(data)))
		case ".md":
			text, err := relink(string(data), filepath.Dir(rel), book)
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

// constraint is a stub's build line (which names what the handout leaves
// out) and the blank line after it; anchor is a book-include marker.
var (
	constraint = regexp.MustCompile(`\A//go:build [^\n]*\n\n`)
	anchor     = regexp.MustCompile(`(?m)^// ANCHOR: \w+\n\n?`)
	anchorEnd  = regexp.MustCompile(`(?m)\n*^// ANCHOR_END: \w+\n`)
)

// stripConstraint takes a Go file's build line, and the markers that
// include the stub in the book, off.
func stripConstraint(src string) string {
	src = constraint.ReplaceAllString(src, "")
	src = anchor.ReplaceAllString(src, "")
	return anchorEnd.ReplaceAllString(src, "\n")
}

// mdLink is a Markdown link's target: ](target) or ](target#fragment).
var mdLink = regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)

// relink rewrites the links of a Markdown file at dir (relative to the
// exercises) that leave the exercises: one into chapters/ becomes a link
// to the published chapter under book; any other is an error, because it
// would not resolve in the copy.
func relink(md, dir, book string) (string, error) {
	var bad []string
	out := mdLink.ReplaceAllStringFunc(md, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		target, fragment := sub[1], sub[2]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			return m
		}
		inside := filepath.Clean(filepath.Join(dir, target))
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
