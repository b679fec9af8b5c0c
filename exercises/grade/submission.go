package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Limits on what a submission may hold: an exercise's Go file is a few
// KiB, a whole submission well under one MiB. Past a limit the grader
// stops reading and says so (an archive can claim any size: a small zip
// can unpack to gigabytes).
const (
	maxFile    = 1 << 20  // one file
	maxTotal   = 32 << 20 // every file read, together
	maxEntries = 10000    // entries looked at
)

// Ignored is a file of a submission that the grade did not use, and why.
type Ignored struct {
	Path string `json:"path"`
	Why  string `json:"why"`
	data []byte // its bytes if they were read (to compare with the workbook's)
	rel  string // its path below the exercises ("" if outside them)
}

// submission is what is graded of a student's work: the non-test Go
// files of each exercise, by exercise and file name, and what was left out.
type submission struct {
	name    string
	files   map[string]map[string][]byte
	ignored []Ignored
	// timings is the runner's timings file (nil if absent), timingsWhy why
	// one there was not read.
	timings    []byte
	timingsWhy string
}

// entry is one file of a submission, from a folder or an archive.
type entry struct {
	path    string // slash-separated, relative to the submission
	regular bool   // a plain file (not a link, a device, a folder)
	size    int64
	data    []byte // read when it may be kept: a plain .go file of at most maxFile
}

// worthReading reports whether an entry's bytes may be kept, and so are read.
func worthReading(name string, regular bool, size int64) bool {
	base := path.Base(name)
	return regular && (strings.HasSuffix(base, ".go") || base == "go.mod" || base == "go.sum" || base == timingsName) && size <= maxFile
}

// budget counts the bytes read of a submission, against maxTotal.
type budget int64

// take reads up to maxFile+1 bytes of r, counting them.
func (b *budget) take(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, errors.New("a file is larger than it said")
	}
	if *b += budget(len(data)); *b > maxTotal {
		return nil, fmt.Errorf("more than %d MiB of Go files", maxTotal>>20)
	}
	return data, nil
}

// readSubmission reads the submission at src, a folder or a .tar.gz, .tgz
// or .zip file (as `go run ./check -pack` writes), keeping the non-test
// Go files of the exercises in chosen.
func readSubmission(src string, chosen []string) (*submission, error) {
	info, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	var entries []entry
	switch {
	case info.IsDir():
		entries, err = dirEntries(src)
	case strings.HasSuffix(src, ".tar.gz"), strings.HasSuffix(src, ".tgz"):
		entries, err = tarEntries(src)
	case strings.HasSuffix(src, ".zip"):
		entries, err = zipEntries(src)
	default:
		return nil, fmt.Errorf("%s: a submission is a folder, a .tar.gz or a .zip", src)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	s := &submission{name: submissionName(src), files: map[string]map[string][]byte{}}
	prefix := commonPrefix(entries, chosen)
	for _, e := range entries {
		rel, ok := strings.CutPrefix(e.path, prefix)
		why := ""
		dir, file := path.Split(rel)
		dir = strings.TrimSuffix(dir, "/")
		switch {
		case !ok || !fs.ValidPath(e.path):
			why, rel = "outside the exercises", ""
		case rel == timingsName:
			if e.data == nil {
				s.timingsWhy = timingsName + " is not a plain file of at most 1 MiB"
			} else {
				s.timings = e.data
			}
			continue
		case !strings.HasSuffix(file, ".go"):
			if file == "go.mod" || file == "go.sum" {
				s.ignored = append(s.ignored, Ignored{Path: e.path, Why: "the workbook's module file is used", data: e.data, rel: rel})
			}
			continue // READMEs, hints, .progress: nothing to grade
		case !slices.Contains(chosen, dir):
			why = "not in an exercise folder graded (the workbook's check/ and others are used)"
		case strings.HasSuffix(file, "_test.go"):
			why = "a test file: the workbook's is used"
		case !e.regular:
			why = "not a plain file (a link?)"
		case e.size > maxFile:
			why = "larger than 1 MiB"
		}
		if why != "" {
			s.ignored = append(s.ignored, Ignored{Path: e.path, Why: why, data: e.data, rel: rel})
			continue
		}
		if s.files[dir] == nil {
			s.files[dir] = map[string][]byte{}
		}
		s.files[dir][file] = e.data
	}
	return s, nil
}

// commonPrefix is the folder every entry is under when the exercises are
// not at the top ("class-exercises/01-…" from a folder zipped by hand),
// or "".
func commonPrefix(entries []entry, chosen []string) string {
	prefix := ""
	for range 2 {
		first := map[string]bool{}
		for _, e := range entries {
			rest, ok := strings.CutPrefix(e.path, prefix)
			if !ok {
				return prefix
			}
			top, _, _ := strings.Cut(rest, "/")
			if slices.Contains(chosen, top) {
				return prefix
			}
			first[top] = true
		}
		if len(first) != 1 {
			return prefix
		}
		for top := range first {
			prefix += top + "/"
		}
	}
	return prefix
}

// submissionName names a submission by its file or folder:
// submission-ada.tar.gz and ada/ are both "ada".
func submissionName(src string) string {
	name := filepath.Base(filepath.Clean(src))
	for _, ext := range []string{".tar.gz", ".tgz", ".zip"} {
		name = strings.TrimSuffix(name, ext)
	}
	return strings.TrimPrefix(name, "submission-")
}

// dirEntries lists a folder's files, not following links.
func dirEntries(root string) ([]entry, error) {
	var out []entry
	var b budget
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "vendor" {
				return filepath.SkipDir
			}
			return nil
		}
		if len(out) >= maxEntries {
			return fmt.Errorf("more than %d files", maxEntries)
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		info, err := d.Info() // Lstat: a link is a link
		if err != nil {
			return err
		}
		e := entry{path: filepath.ToSlash(rel), regular: info.Mode().IsRegular(), size: info.Size()}
		if worthReading(e.path, e.regular, e.size) {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			e.data, err = b.take(f)
			f.Close()
			if err != nil {
				return err
			}
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// tarEntries lists a .tar.gz's files.
func tarEntries(src string) ([]entry, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	var out []entry
	var b budget
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(out) >= maxEntries {
			return nil, fmt.Errorf("more than %d entries", maxEntries)
		}
		if h.Typeflag == tar.TypeDir {
			continue
		}
		e := entry{path: strings.TrimPrefix(h.Name, "./"), regular: h.Typeflag == tar.TypeReg, size: h.Size}
		if worthReading(e.path, e.regular, e.size) {
			if e.data, err = b.take(tr); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
}

// zipEntries lists a .zip's files.
func zipEntries(src string) ([]entry, error) {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var out []entry
	var b budget
	for _, f := range zr.File {
		if len(out) >= maxEntries {
			return nil, fmt.Errorf("more than %d entries", maxEntries)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		e := entry{path: f.Name, regular: f.Mode().IsRegular(), size: int64(f.UncompressedSize64)}
		if worthReading(e.path, e.regular, e.size) {
			r, err := f.Open()
			if err != nil {
				return nil, err
			}
			e.data, err = b.take(r)
			r.Close()
			if err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// changedOnly keeps the ignored files that differ from the file of the
// same path in the copy handed out (dir): an unchanged test or runner file
// is no news; an edited one is worth the instructor's look.
func changedOnly(ignored []Ignored, dir string) []Ignored {
	out := []Ignored{}
	for _, ig := range ignored {
		if ig.data != nil && ig.rel != "" {
			target := filepath.Join(dir, filepath.FromSlash(ig.rel))
			if pristine, err := os.ReadFile(target); err == nil && string(pristine) == string(ig.data) {
				continue
			}
			if _, err := os.Stat(target); err == nil {
				ig.Why += " (this one differs)"
			}
		}
		out = append(out, ig)
	}
	return out
}
