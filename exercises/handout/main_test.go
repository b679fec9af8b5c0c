package main

import (
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandout copies the real exercises and checks the copy: no solution
// anywhere, every exercise's README, HINTS, stub and tests present, and the
// copy builds as a module on the stubs alone.
func TestHandout(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "class")
	n, err := copyExercises("..", dst)
	require.NoError(t, err)
	assert.Positive(t, n)

	var solutions, tests []string
	require.NoError(t, filepath.WalkDir(dst, func(path string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		switch {
		case strings.HasSuffix(path, "_solution.go"):
			solutions = append(solutions, path)
		case strings.HasSuffix(path, "_test.go"):
			tests = append(tests, path)
		}
		return nil
	}))
	assert.Empty(t, solutions, "a solution was handed out")
	assert.NotEmpty(t, tests)
	for _, f := range []string{"go.mod", "01-accept-key/README.md", "01-accept-key/HINTS.md", "01-accept-key/accept.go", "check/main.go"} {
		assert.FileExists(t, filepath.Join(dst, f))
	}
	assert.NoDirExists(t, filepath.Join(dst, "handout"))

	vet := exec.Command("go", "vet", "./...")
	vet.Dir = dst
	out, err := vet.CombinedOutput()
	assert.NoError(t, err, "the handed-out exercises must compile: %s", out)

	_, err = copyExercises("..", dst)
	assert.ErrorContains(t, err, "exists already", "never overwrite a folder")
}
