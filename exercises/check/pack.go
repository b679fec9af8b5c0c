package main

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// maxPackedFile is the largest file -pack takes: an exercise's Go file is
// a few KiB; anything bigger is not the work.
const maxPackedFile = 1 << 20

// unsafeName is what a packed file's name may not contain.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// packName is the file -pack writes: submission-NAME.tar.gz, NAME being
// as or the login name, reduced to letters, digits, '.', '_' and '-'.
func packName(as string) string {
	if as == "" {
		if u, err := user.Current(); err == nil {
			as = u.Username
		}
	}
	as = strings.Trim(unsafeName.ReplaceAllString(filepath.Base(as), "-"), "-.")
	if as == "" {
		as = "student"
	}
	return "submission-" + as + ".tar.gz"
}

// pack writes the student's work, every Go file of every exercise folder
// (the tests too: the grader puts its own in their place) and the runner's
// timings file (timingsFile), into one
// .tar.gz in root, the file to hand in; `go run ./grade` reads it as it
// is. Links and files over maxPackedFile are left out, and said so.
func pack(w io.Writer, root string, exercises []string, as string) error {
	name := packName(as)
	tmp, err := os.CreateTemp(root, ".pack-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	zw := gzip.NewWriter(tmp)
	tw := tar.NewWriter(zw)
	files := 0
	for _, ex := range exercises {
		entries, err := os.ReadDir(filepath.Join(root, ex))
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			if !info.Mode().IsRegular() || info.Size() > maxPackedFile {
				fmt.Fprintf(w, "left out %s/%s: not a plain file of at most 1 MiB\n", ex, e.Name())
				continue
			}
			data, err := os.ReadFile(filepath.Join(root, ex, e.Name()))
			if err != nil {
				return err
			}
			hdr := &tar.Header{Name: ex + "/" + e.Name(), Mode: 0o644, Size: int64(len(data)), ModTime: info.ModTime().Truncate(time.Second), Typeflag: tar.TypeReg}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			if _, err := tw.Write(data); err != nil {
				return err
			}
			files++
		}
	}
	timed := false
	if info, err := os.Lstat(filepath.Join(root, timingsFile)); err == nil && info.Mode().IsRegular() && info.Size() <= maxPackedFile {
		data, err := os.ReadFile(filepath.Join(root, timingsFile))
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: timingsFile, Mode: 0o644, Size: int64(len(data)), ModTime: info.ModTime().Truncate(time.Second), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
		timed = true
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(root, name)); err != nil {
		return err
	}
	info, err := os.Stat(filepath.Join(root, name))
	if err != nil {
		return err
	}
	with := ""
	if timed {
		with = ", and " + timingsFile + " (when you started and solved each exercise)"
	}
	fmt.Fprintf(w, "packed %d files of %d exercises%s into %s (%.1f KiB): hand in this one file\n", files, len(exercises), with, name, float64(info.Size())/1024)
	return nil
}
