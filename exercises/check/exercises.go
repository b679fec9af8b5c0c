package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// exerciseDir matches an exercise's folder name: two digits and a name.
var exerciseDir = regexp.MustCompile(`^\d\d-[a-z0-9-]+$`)

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

// testAll runs go test on every exercise, once, and returns each one's
// status. A failing exercise is normal: only a failure to run go test at
// all is an error.
func testAll(root string, exercises []string) (map[string]status, error) {
	args := []string{"test", "-json"}
	for _, e := range exercises {
		args = append(args, "./"+e+"/")
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.Output()
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		return nil, err
	}
	byImport := parseEvents(strings.NewReader(string(out)))
	statuses := map[string]status{}
	for path, s := range byImport {
		statuses[filepath.Base(path)] = s
	}
	return statuses, nil
}

// nextUnsolved returns the first exercise that does not pass, or "".
func nextUnsolved(exercises []string, statuses map[string]status) string {
	for _, e := range exercises {
		if !statuses[e].passed {
			return e
		}
	}
	return ""
}
