package classroom

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// exerciseDir matches an exercise's folder name: two digits and a name. It
// is the runner's rule (check/exercises.go), so that the runner, the
// handout and the grader see the same list; a test keeps them equal.
var exerciseDir = regexp.MustCompile(`^\d\d-[a-z0-9-]+$`)

// IsExercise reports whether name is an exercise folder's name.
func IsExercise(name string) bool { return exerciseDir.MatchString(name) }

// Exercises returns the exercise folders under root, in order: the list
// everything else is driven by.
func Exercises(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && IsExercise(e.Name()) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("no exercises in %s (run inside the exercises folder)", root)
	}
	return out, nil
}

// Select returns the exercises named by only, a comma-separated list of
// numbers ("1,02") or names, whole or in part ("accept-key"), in the
// list's order; an empty only selects them all. A name that matches no
// exercise, or more than one, is an error.
func Select(all []string, only string) ([]string, error) {
	if strings.TrimSpace(only) == "" {
		return all, nil
	}
	chosen := map[string]bool{}
	for _, name := range strings.Split(only, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		ex, err := pick(all, name)
		if err != nil {
			return nil, err
		}
		chosen[ex] = true
	}
	var out []string
	for _, e := range all {
		if chosen[e] {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-only %q names no exercise", only)
	}
	return out, nil
}

// pick finds one exercise by number or name, as the runner does.
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
		return "", fmt.Errorf("no exercise %q (there are %s)", name, strings.Join(exercises, ", "))
	default:
		return "", fmt.Errorf("%q could be %s: say which", name, strings.Join(matches, " or "))
	}
}
