package main

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// exerciseDir matches an exercise's folder name: two digits and a name.
var exerciseDir = regexp.MustCompile(`^\d\d-[a-z0-9-]+$`)

// testTimeout ends a test run that hangs (a deadlock, say) with a dump of
// every goroutine, instead of leaving the student staring at nothing.
const testTimeout = "20s"

// findExercises returns the exercise folders under root, in order.
func findExercises(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && exerciseDir.MatchString(e.Name()) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// pick finds the exercise a student named: by number ("4", "04") or by
// name, whole or in part ("07-frame-header", "frame-header", "frame").
func pick(exercises []string, name string) (string, error) {
	var matches []string
	for _, e := range exercises {
		number, rest, _ := strings.Cut(e, "-")
		switch {
		case name == e, name == number, "0"+name == number, name == rest:
			return e, nil
		case strings.Contains(e, name):
			matches = append(matches, e)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", fmt.Errorf("no exercise %q (go run ./check -list shows them all)", name)
	default:
		return "", fmt.Errorf("%q could be %s: say which", name, strings.Join(matches, " or "))
	}
}

// canRace reports whether the race detector works here: it needs cgo.
var canRace = sync.OnceValue(func() bool {
	out, err := exec.Command("go", "env", "CGO_ENABLED").Output()
	return err == nil && strings.TrimSpace(string(out)) == "1"
})

// concurrent reports whether exercise ex is about concurrency: its tests
// import sync or testing/synctest. Those are graded under the race
// detector, because a data race is a wrong answer that passes without it.
func concurrent(root, ex string) bool {
	tests, _ := filepath.Glob(filepath.Join(root, ex, "*_test.go"))
	for _, path := range tests {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "sync" || p == "testing/synctest" {
				return true
			}
		}
	}
	return false
}

// goTest runs go test -json on the given exercises and returns each one's
// status, by folder name; fast leaves go vet out (it costs more than half
// a second a run, which -watch cannot spare). A failing exercise is
// normal: only a failure to run go test at all is an error.
func goTest(ctx context.Context, root string, fast bool, exercises ...string) (map[string]status, error) {
	args := []string{"test", "-json", "-timeout", testTimeout}
	if fast {
		args = append(args, "-vet=off")
	}
	if canRace() && slices.ContainsFunc(exercises, func(e string) bool { return concurrent(root, e) }) {
		args = append(args, "-race")
	}
	for _, e := range exercises {
		args = append(args, "./"+e+"/")
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	out, err := cmd.Output()
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	statuses := map[string]status{}
	for path, s := range parseEvents(strings.NewReader(string(out))) {
		statuses[filepath.Base(path)] = s
	}
	return statuses, nil
}

// testOne tests one exercise (without go vet if fast).
func testOne(ctx context.Context, root, ex string, fast bool) (status, error) {
	statuses, err := goTest(ctx, root, fast, ex)
	return statuses[ex], err
}

// testAll tests every exercise, in one go test.
func testAll(ctx context.Context, root string, exercises []string) (map[string]status, error) {
	return goTest(ctx, root, false, exercises...)
}
