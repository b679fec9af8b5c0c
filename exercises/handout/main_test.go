package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testBook = "https://book.example/ws/"

// copied is the one copy of the real exercises that every test of this
// file reads; TestMain removes it.
var copied string

// handout returns the copy, making it on first use.
func handout(t *testing.T) string {
	t.Helper()
	if copied == "" {
		tmp, err := os.MkdirTemp("", "handout")
		require.NoError(t, err)
		n, _, err := makeHandout("..", options{out: filepath.Join(tmp, "class"), book: testBook, limit: time.Minute})
		require.NoError(t, err)
		require.Positive(t, n)
		copied = filepath.Join(tmp, "class")
	}
	return copied
}

func TestMain(m *testing.M) {
	code := m.Run()
	if copied != "" {
		_ = os.RemoveAll(filepath.Dir(copied))
	}
	os.Exit(code)
}

// files returns every file of the copy, relative to it.
func files(t *testing.T, dst string) []string {
	var out []string
	require.NoError(t, filepath.WalkDir(dst, func(path string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		if !d.IsDir() {
			rel, _ := filepath.Rel(dst, path)
			out = append(out, rel)
		}
		return nil
	}))
	return out
}

// TestHandoutHoldsNothingForInstructors: no solution, no mutant, no
// instructors' notes, and no word of them in what is left.
func TestHandoutHoldsNothingForInstructors(t *testing.T) {
	dst := handout(t)
	all := files(t, dst)
	for _, f := range []string{"go.mod", "03-accept-key/README.md", "03-accept-key/HINTS.md", "03-accept-key/accept.go", "03-accept-key/accept_test.go", "check/main.go"} {
		assert.Contains(t, all, f)
	}
	forbidden := regexp.MustCompile(`(?i)solution|mutant|instructor`)
	for _, f := range all {
		assert.NotRegexp(t, `_solution\.go$|(^|/)mutants/|^INSTRUCTORS\.md$|^(handout|grade|internal)/|\.progress$`, f, "handed out")
		data, err := os.ReadFile(filepath.Join(dst, f))
		require.NoError(t, err)
		if loc := forbidden.FindIndex(data); loc != nil {
			line := bytes.Count(data[:loc[0]], []byte("\n")) + 1
			t.Errorf("%s:%d mentions %q: students get no word of what the handout leaves out", f, line, data[loc[0]:loc[1]])
		}
	}
}

// TestHandoutLinksResolve: every relative link names a file of the copy,
// and every link into the book names a chapter the book has.
func TestHandoutLinksResolve(t *testing.T) {
	dst := handout(t)
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)
	chapters := 0
	for _, f := range files(t, dst) {
		if filepath.Ext(f) != ".md" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dst, f))
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if chapter, ok := strings.CutPrefix(target, testBook); ok {
				chapters++
				assert.FileExists(t, filepath.Join("..", "..", "chapters", strings.TrimSuffix(chapter, ".html")+".md"), "%s links to a chapter the book does not have", f)
				continue
			}
			assert.NotContains(t, target, "://", "%s: a link outside the handout that is not the book: %s", f, target)
			assert.FileExists(t, filepath.Join(dst, filepath.Dir(f), target), "%s: the link %s does not resolve in the handout", f, target)
		}
	}
	assert.Positive(t, chapters, "the exercises link to their chapters")
}

// TestHandoutBuildsAndEveryStubIsRed: the copy is a gofmt-clean module
// that builds (and vets) on the stubs alone, and every exercise fails its
// tests, by failing a test rather than the build.
func TestHandoutBuildsAndEveryStubIsRed(t *testing.T) {
	dst := handout(t)
	// The runner must build; the exercises build in go test below, which
	// vets them too.
	vet := exec.Command("go", "vet", "./check/")
	vet.Dir = dst
	out, err := vet.CombinedOutput()
	require.NoError(t, err, "the handed-out runner must compile: %s", out)

	gofmt := exec.Command("gofmt", "-l", ".")
	gofmt.Dir = dst
	out, err = gofmt.Output()
	require.NoError(t, err)
	assert.Empty(t, string(out), "the handed-out files are gofmt-clean")

	exercises, err := filepath.Glob(filepath.Join(dst, "[0-9][0-9]-*"))
	require.NoError(t, err)
	require.NotEmpty(t, exercises)
	args := []string{"test", "-json", "-timeout", "60s"}
	for _, e := range exercises {
		args = append(args, "./"+filepath.Base(e)+"/")
	}
	test := exec.Command("go", args...)
	test.Dir = dst
	out, _ = test.Output()
	result := map[string]string{}
	for _, line := range bytes.Split(out, []byte("\n")) {
		var e struct{ Action, Package, Test string }
		if json.Unmarshal(line, &e) == nil && e.Test == "" && (e.Action == "pass" || e.Action == "fail") {
			result[filepath.Base(e.Package)] = e.Action
		}
	}
	for _, e := range exercises {
		assert.Equal(t, "fail", result[filepath.Base(e)], "%s: the stub must fail its tests in the handout", filepath.Base(e))
		assert.NotContains(t, string(out), filepath.Base(e)+" [build failed]", "%s: the stub must compile in the handout", filepath.Base(e))
	}
}

func TestHandoutNeverOverwrites(t *testing.T) {
	dst := handout(t)
	_, _, err := makeHandout("..", options{out: dst, book: testBook})
	assert.ErrorContains(t, err, "exists already", "never overwrite a folder")
}
