package main

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExitStatusSaysWhetherEverythingIsSolved runs the runner as a student
// does, as a program, and reads its exit status: 1 while an exercise is
// unsolved, 0 once every one is.
func TestExitStatusSaysWhetherEverythingIsSolved(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "check")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	root := tinyExercises(t)
	status := func(args ...string) int {
		cmd := exec.Command(bin, args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		require.NoError(t, err, "%s", out)
		return 0
	}
	cases := []struct {
		args []string
		want int
	}{
		{nil, 1},                  // 01-a passes, 02-b does not
		{[]string{"-all"}, 1},     // …
		{[]string{"-list"}, 1},    // …
		{[]string{"01"}, 0},       // the chosen one passes
		{[]string{"02"}, 1},       // the chosen one fails
		{[]string{"-hint"}, 0},    // a hint is no verdict
		{[]string{"-pack"}, 0},    // nor is packing
		{[]string{"01", "02"}, 2}, // usage: one exercise at most
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, status(tc.args...), "check %v", tc.args)
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, "02-b", "f.go"), []byte("package b\n\n// F returns 1.\nfunc F() int { return 1 }\n"), 0o644))
	for _, args := range [][]string{nil, {"-all"}, {"-list"}} {
		assert.Equal(t, 0, status(args...), "check %v with every exercise solved", args)
	}
}

// TestPackHoldsTheGoFilesOfEveryExercise: -pack writes one .tar.gz of the
// exercises' Go files, named for the student, without links.
func TestPackHoldsTheGoFilesOfEveryExercise(t *testing.T) {
	root := tinyExercises(t)
	if err := os.Symlink(filepath.Join(root, "01-a", "f.go"), filepath.Join(root, "01-a", "stolen.go")); err != nil {
		t.Skipf("cannot make a link here (Windows without the privilege?): %v", err)
	}
	var out syncBuffer
	require.NoError(t, run(t.Context(), &out, root, options{pack: true, as: "Ada Lovelace/../x"}))
	assert.Contains(t, out.String(), "left out 01-a/stolen.go")
	assert.Contains(t, out.String(), "packed 4 files of 2 exercises into submission-x.tar.gz")

	f, err := os.Open(filepath.Join(root, "submission-x.tar.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		assert.Equal(t, byte(tar.TypeReg), h.Typeflag)
		names = append(names, h.Name)
	}
	assert.Equal(t, []string{"01-a/f.go", "01-a/f_test.go", "02-b/f.go", "02-b/f_test.go"}, names)
}

func TestPackName(t *testing.T) {
	assert.Equal(t, "submission-ada.tar.gz", packName("ada"))
	assert.Equal(t, "submission-Ada-Lovelace.tar.gz", packName("Ada Lovelace"))
	assert.Equal(t, "submission-student.tar.gz", packName("../.."))
	assert.Regexp(t, `^submission-[A-Za-z0-9._-]+\.tar\.gz$`, packName(""), "the login name")
}
