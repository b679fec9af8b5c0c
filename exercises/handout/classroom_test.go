package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/exercises/internal/classroom"
)

// firstTwo hands out the first two exercises of the list into a new
// folder, with the options o (out is set here).
func firstTwo(t *testing.T, o options) (string, []string) {
	t.Helper()
	all, err := classroom.Exercises("..")
	require.NoError(t, err)
	o.out = filepath.Join(t.TempDir(), "session")
	o.only = strings.Join(all[:2], ",")
	o.book = testBook
	if o.limit == 0 {
		o.limit = time.Minute
	}
	_, n, err := makeHandout("..", o)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	return o.out, all
}

// gitOut runs git in dir.
func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return string(out)
}

// TestASessionsHandout: -only hands out those exercises and no other; the
// README lists only them, every link still resolves, and the copy is a git
// repository with one commit holding every file, nothing left to commit.
func TestASessionsHandout(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is needed (apt-get install git)")
		}
		t.Skip("git is not installed")
	}
	dst, all := firstTwo(t, options{git: true})
	got, err := classroom.Exercises(dst)
	require.NoError(t, err)
	assert.Equal(t, all[:2], got)
	readme, err := os.ReadFile(filepath.Join(dst, "README.md"))
	require.NoError(t, err)
	for _, ex := range all[2:] {
		assert.NotContains(t, string(readme), "]("+ex+"/", "the README's row for %s is gone", ex)
	}
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)
	for _, f := range files(t, dst) {
		if filepath.Ext(f) != ".md" || strings.HasPrefix(f, ".git/") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dst, f))
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			if !strings.Contains(m[1], "://") {
				assert.FileExists(t, filepath.Join(dst, filepath.Dir(f), m[1]), "%s: the link %s does not resolve in the session's handout", f, m[1])
			}
		}
	}
	assert.Equal(t, "1\n", gitOut(t, dst, "rev-list", "--count", "HEAD"), "one commit")
	assert.Empty(t, gitOut(t, dst, "status", "--porcelain"), "everything is committed")
	tracked := gitOut(t, dst, "ls-files")
	assert.Contains(t, tracked, all[0]+"/README.md")
	assert.Contains(t, tracked, classroom.AutogradingPath)
	assert.Contains(t, tracked, "check/main.go")

	// What the runner writes stays out of the student's commits.
	require.NoError(t, os.WriteFile(filepath.Join(dst, ".progress"), []byte("{}"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dst, ".timings.json"), []byte("{}"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dst, "submission-ada.tar.gz"), nil, 0o644))
	assert.Empty(t, gitOut(t, dst, "status", "--porcelain"), "the runner's files are ignored")
}

// TestAutogradingConfiguration: one test per exercise handed out, named
// for it, in GitHub Classroom's shape; its command passes on the
// reference solution, fails on the stub, and fails when a test file was
// edited or one added.
func TestAutogradingConfiguration(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("the commands need sha256sum, as GitHub's Ubuntu runners have")
	}
	dst, all := firstTwo(t, options{limit: 30 * time.Second})
	data, err := os.ReadFile(filepath.Join(dst, classroom.AutogradingPath))
	require.NoError(t, err)
	var config map[string][]map[string]any
	require.NoError(t, json.Unmarshal(data, &config))
	require.Len(t, config, 1, "one key: tests")
	tests := config["tests"]
	require.Len(t, tests, 2)
	for i, test := range tests {
		assert.Equal(t, all[i], test["name"])
		for _, key := range []string{"name", "setup", "run", "input", "output", "comparison", "timeout", "points"} {
			assert.Contains(t, test, key)
		}
		assert.Equal(t, "included", test["comparison"])
		assert.EqualValues(t, 1, test["points"])
		assert.EqualValues(t, 1, test["timeout"], "minutes")
	}
	workflow, err := os.ReadFile(filepath.Join(dst, classroom.WorkflowPath))
	require.NoError(t, err)
	assert.Contains(t, string(workflow), "uses: education/autograding@v1")

	run := func() error {
		cmd := exec.Command("sh", "-c", tests[0]["run"].(string))
		cmd.Dir = dst
		return cmd.Run()
	}
	ex := all[0]
	assert.Error(t, run(), "the stub fails")
	solutions, err := filepath.Glob(filepath.Join("..", ex, "*_solution.go"))
	require.NoError(t, err)
	for _, s := range solutions {
		data, err := os.ReadFile(s)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, ex, strings.TrimSuffix(filepath.Base(s), "_solution.go")+".go"), []byte(classroom.StripConstraint(string(data))), 0o644))
	}
	require.NoError(t, run(), "the reference solution passes")
	testFiles, err := filepath.Glob(filepath.Join(dst, ex, "*_test.go"))
	require.NoError(t, err)
	extra := filepath.Join(dst, ex, "zz_test.go")
	require.NoError(t, os.WriteFile(extra, []byte("package x\n"), 0o644))
	assert.Error(t, run(), "an extra test file fails")
	require.NoError(t, os.Remove(extra))
	f, err := os.OpenFile(testFiles[0], os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("\n// edited\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	assert.Error(t, run(), "an edited test file fails")
}

// TestAVendoredHandoutBuildsOffline: with -vendor the handout builds and
// its tests compile with an empty module cache and no proxy.
func TestAVendoredHandoutBuildsOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("vendors and builds the modules")
	}
	dst, _ := firstTwo(t, options{vendor: true})
	assert.FileExists(t, filepath.Join(dst, "vendor", "modules.txt"))
	empty := t.TempDir()
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}, {"test", "-count=1", "-run", "^$", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dst
		cmd.Env = append(os.Environ(), "GOMODCACHE="+empty, "GOFLAGS=-mod=vendor", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %v offline: %s", args, out)
	}
	entries, err := os.ReadDir(empty)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing was downloaded")
}

// TestEachSessionsHandout: -session N hands out the exercises the course
// plan's table gives session N, in class and homework, and no other; the
// README lists and counts only them and every link resolves.
func TestEachSessionsHandout(t *testing.T) {
	all, err := classroom.Exercises("..")
	require.NoError(t, err)
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)
	for _, s := range classroom.Sessions {
		t.Run(s.Title(), func(t *testing.T) {
			o := options{out: filepath.Join(t.TempDir(), "s"), session: strconv.Itoa(s.Number), book: testBook, limit: time.Minute}
			_, n, err := makeHandout("..", o)
			require.NoError(t, err)
			var want []string
			for _, ex := range all {
				if slices.Contains(s.InClass, ex[:2]) || slices.Contains(s.Homework, ex[:2]) {
					want = append(want, ex)
				}
			}
			require.NotEmpty(t, want)
			assert.Equal(t, len(want), n)
			got, err := classroom.Exercises(o.out)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			readme, err := os.ReadFile(filepath.Join(o.out, "README.md"))
			require.NoError(t, err)
			assert.Equal(t, len(want), strings.Count(string(readme), "/README.md) |"), "the README's table lists the session's exercises")
			assert.NotContains(t, string(readme), "Seventeen", "the README counts what was handed out")
			assert.Contains(t, string(readme), fmt.Sprintf(" of %d solved`", len(want)))
			for _, m := range link.FindAllStringSubmatch(string(readme), -1) {
				if !strings.Contains(m[1], "://") {
					assert.FileExists(t, filepath.Join(o.out, m[1]), "the README's link %s resolves", m[1])
				}
			}
			var config struct{ Tests []struct{ Name string } }
			data, err := os.ReadFile(filepath.Join(o.out, classroom.AutogradingPath))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, &config))
			assert.Len(t, config.Tests, len(want), "the autograding has the session's exercises")
		})
	}
	_, _, err = makeHandout("..", options{out: filepath.Join(t.TempDir(), "x"), session: "9"})
	assert.ErrorContains(t, err, "sessions 1 to 8")
	_, _, err = makeHandout("..", options{out: filepath.Join(t.TempDir(), "x"), session: "1", only: "01"})
	assert.ErrorContains(t, err, "not both")
}

// TestTheSessionFlag: the command takes -session, and says what it did.
func TestTheSessionFlag(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "s3")
	cmd := exec.Command("go", "run", "./handout", "-session", "3", "-git=false", "-o", dst)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "(2 exercises)")
	got, err := classroom.Exercises(dst)
	require.NoError(t, err)
	assert.Equal(t, []string{"07-frame-header", "08-mask"}, got)
}
