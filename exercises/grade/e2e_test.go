package main

import (
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/exercises/internal/classroom"
)

// command runs a go command in dir, as an instructor or a student types
// it, and returns its output and exit status.
func command(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	require.NoError(t, err, "go %v: %s", args, out)
	return string(out), 0
}

// solve writes the workbook's reference solution of ex into a student's
// copy, in place of the stub: X_solution.go becomes X.go.
func solve(t *testing.T, student, ex string) {
	solutions, err := filepath.Glob(filepath.Join("..", ex, "*_solution.go"))
	require.NoError(t, err)
	require.NotEmpty(t, solutions, "%s has a reference solution", ex)
	for _, s := range solutions {
		data, err := os.ReadFile(s)
		require.NoError(t, err)
		stub := strings.TrimSuffix(filepath.Base(s), "_solution.go") + ".go"
		require.NoError(t, os.WriteFile(filepath.Join(student, ex, stub), []byte(classroom.StripConstraint(string(data))), 0o644))
	}
}

// TestAnInstructorsDay prepares, hands out, collects and grades, with the
// real commands on the real exercises (the first two of the list): one
// student solves both and packs, one solves the first and packs, one
// solves nothing but rewrites the tests and the runner and hands in the
// folder. The grade is 2, 1 and 0.
func TestAnInstructorsDay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests real exercises")
	}
	all, err := classroom.Exercises("..")
	require.NoError(t, err)
	two := all[:2]
	only := strings.Join(two, ",")
	class := t.TempDir()

	// Hand out: each student gets the copy (here: one handout each, as each
	// clones the assignment).
	students := map[string]string{}
	for _, name := range []string{"ada", "bob", "eve"} {
		students[name] = filepath.Join(class, name)
		out, status := command(t, "..", "run", "./handout", "-only", only, "-o", students[name])
		require.Zero(t, status, out)
		assert.Contains(t, out, "(2 exercises)")
	}
	got, err := classroom.Exercises(students["ada"])
	require.NoError(t, err)
	assert.Equal(t, two, got, "the handout holds the session's exercises only")

	// Work: ada starts with the runner, which starts the first one's clock.
	_, status := command(t, students["ada"], "run", "./check")
	assert.Equal(t, 1, status, "the stub is red")
	solve(t, students["ada"], two[0])
	solve(t, students["ada"], two[1])
	solve(t, students["bob"], two[0])
	eve := students["eve"]
	tests, err := filepath.Glob(filepath.Join(eve, two[0], "*_test.go"))
	require.NoError(t, err)
	for _, path := range tests {
		require.NoError(t, os.WriteFile(path, []byte("package "+packageOf(t, filepath.Dir(path))+"\n"), 0o644), "eve empties the tests")
	}
	pkg := packageOf(t, filepath.Join(eve, two[1]))
	require.NoError(t, os.WriteFile(filepath.Join(eve, two[1], "zz_test.go"),
		[]byte("package "+pkg+"\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestMain(m *testing.M) { os.Exit(0) }\n"), 0o644), "eve skips the other's tests")
	out, status := command(t, eve, "run", "./check", "-all")
	assert.Zero(t, status, "eve's own copy says everything is solved: %s", out)
	assert.Contains(t, out, "2 of 2 solved")

	// The students' runner tells them where they stand by its exit status.
	_, status = command(t, students["ada"], "run", "./check")
	assert.Zero(t, status, "ada's check is green: the first exercise's clock stops")
	_, status = command(t, students["ada"], "run", "./check", "-all")
	assert.Zero(t, status, "ada solved everything")
	_, status = command(t, students["bob"], "run", "./check", "-all")
	assert.Equal(t, 1, status, "bob has an exercise left")

	// Collect.
	var handedIn []string
	for _, name := range []string{"ada", "bob"} {
		out, status := command(t, students[name], "run", "./check", "-pack", "-as", name)
		require.Zero(t, status, out)
		handedIn = append(handedIn, filepath.Join(students[name], "submission-"+name+".tar.gz"))
	}
	handedIn = append(handedIn, eve)

	// Grade.
	grades := filepath.Join(class, "grades")
	out, status = command(t, "..", append([]string{"run", "./grade", "-only", only, "-o", grades}, handedIn...)...)
	require.Zero(t, status, out)
	t.Logf("grade's output:\n%s", out)
	data, err := os.ReadFile(filepath.Join(grades, "results.json"))
	require.NoError(t, err)
	var results []Grade
	require.NoError(t, json.Unmarshal(data, &results))
	require.Len(t, results, 3)
	for i, want := range []struct {
		name   string
		solved int
	}{{"ada", 2}, {"bob", 1}, {"eve", 0}} {
		assert.Equal(t, want.name, results[i].Submission)
		assert.Equal(t, want.solved, results[i].Solved, "%s: %+v", want.name, results[i].Exercises)
		assert.Equal(t, 2, results[i].Total)
	}
	var ignored []string
	for _, ig := range results[2].Ignored {
		ignored = append(ignored, ig.Path)
	}
	assert.Contains(t, ignored, filepath.ToSlash(filepath.Join(two[1], "zz_test.go")), "eve's extra test is listed")
	assert.Contains(t, ignored, filepath.ToSlash(strings.TrimPrefix(tests[0], eve+string(filepath.Separator))), "and her emptied test")
	assert.Empty(t, results[0].Ignored, "ada's pack holds the tests as handed out: no news")
	assert.Equal(t, "recorded", results[0].Timings.Status, "ada's pack holds her timings")
	assert.Contains(t, results[0].Timings.Exercises, two[0])
	assert.Empty(t, results[1].Timings.Exercises, "bob's runner tested all at once only (-all), which starts no clock")
	data, err = os.ReadFile(filepath.Join(grades, "timings.json"))
	require.NoError(t, err)
	var timings struct{ Exercises []ClassTiming }
	require.NoError(t, json.Unmarshal(data, &timings))
	require.Len(t, timings.Exercises, 2)
	assert.Equal(t, 2, timings.Exercises[0].Finished, "ada and bob solved the first")
	assert.Equal(t, 1, timings.Exercises[0].Timed, "ada's is timed")
	assert.NotNil(t, timings.Exercises[0].Median)
	md, err := os.ReadFile(filepath.Join(grades, "summary.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "| ada | ✓ | ✓ | 2 of 2 |")
	assert.Contains(t, string(md), "| bob | ✓ | ✗ | 1 of 2 |")
	assert.Contains(t, string(md), "| eve | ✗ | ✗ | 0 of 2 |")
}

// packageOf is the package name of the exercise folder dir's tests.
func packageOf(t *testing.T, dir string) string {
	tests, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	require.NoError(t, err)
	require.NotEmpty(t, tests)
	f, err := parser.ParseFile(token.NewFileSet(), tests[0], nil, parser.PackageClauseOnly)
	require.NoError(t, err)
	return f.Name.Name
}

// TestEveryReferenceSolutionIsSolved grades the workbook's own answers,
// handed in as a student would (a handout with each stub replaced by the
// solution): all seventeen must be sealed as solved, so that neither the
// static check nor the seal refuses a right answer.
func TestEveryReferenceSolutionIsSolved(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests every exercise")
	}
	all, err := classroom.Exercises("..")
	require.NoError(t, err)
	student := filepath.Join(t.TempDir(), "ref")
	_, err = classroom.Copy("..", student, classroom.DefaultBook, all)
	require.NoError(t, err)
	for _, ex := range all {
		solve(t, student, ex)
	}
	g, err := gradeOne(t.Context(), "..", student, all, all, raceWorks(), time.Minute)
	require.NoError(t, err)
	for _, r := range g.Exercises {
		assert.True(t, r.Passed && r.Sealed, "%s: %+v", r.Exercise, r)
		assert.Empty(t, r.Tampered, r.Exercise)
	}
	assert.Equal(t, len(all), g.Solved)
}
