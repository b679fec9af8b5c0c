package classroom

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Test is one test of GitHub Classroom's autograding configuration
// (.github/classroom/autograding.json, read by the education/autograding
// action): a command whose exit status passes or fails it.
type Test struct {
	Name       string  `json:"name"`
	Setup      string  `json:"setup"`
	Run        string  `json:"run"`
	Input      string  `json:"input"`
	Output     string  `json:"output"`
	Comparison string  `json:"comparison"`
	Timeout    float64 `json:"timeout"` // minutes
	Points     int     `json:"points"`
}

// Autograding is the whole file.
type Autograding struct {
	Tests []Test `json:"tests"`
}

// AutogradingPath and WorkflowPath are where a handout keeps the
// configuration and the workflow that runs it.
const (
	AutogradingPath = ".github/classroom/autograding.json"
	WorkflowPath    = ".github/workflows/classroom.yml"
)

// NewAutograding builds the configuration for exercises of the folder root
// (a handout or the workbook's exercises): one test per exercise, one point
// each, run as the grader runs them (go test -race with the time limit).
// Each command first checks that the exercise's test files are the ones
// handed out (their SHA-256, and no extra one), so that a student who
// edits a test fails it; a student can still edit this file, which shows
// in the repository's history: the grade that counts is `go run ./grade`'s.
func NewAutograding(root string, exercises []string, limit time.Duration) (Autograding, error) {
	var a Autograding
	for _, ex := range exercises {
		tests, err := filepath.Glob(filepath.Join(root, ex, "*_test.go"))
		if err != nil {
			return a, err
		}
		if len(tests) == 0 {
			return a, fmt.Errorf("%s has no tests", ex)
		}
		sort.Strings(tests)
		var sums []string
		for _, path := range tests {
			data, err := os.ReadFile(path)
			if err != nil {
				return a, err
			}
			sum := sha256.Sum256(data)
			sums = append(sums, hex.EncodeToString(sum[:])+"  "+ex+"/"+filepath.Base(path))
		}
		run := fmt.Sprintf("printf '%%s\\n' %s | sha256sum --check --strict --quiet && test \"$(ls %s/*_test.go | wc -l)\" -eq %d && go test -race -count=1 -timeout %s ./%s/",
			quoteAll(sums), ex, len(tests), limit, ex)
		a.Tests = append(a.Tests, Test{
			Name:       ex,
			Run:        run,
			Comparison: "included",
			Timeout:    max(1, limit.Minutes()*2),
			Points:     1,
		})
	}
	return a, nil
}

// quoteAll quotes each string for the shell, in single quotes.
func quoteAll(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}

// workflow runs the autograding configuration on every push (GitHub
// Classroom's own workflow, with Go set up from go.mod).
const workflow = `name: GitHub Classroom Workflow

on: [push]

permissions:
  checks: write
  actions: read
  contents: read

jobs:
  build:
    name: Autograding
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version-file: go.mod
      - uses: education/autograding@v1
`

// WriteAutograding writes the configuration and its workflow into the
// handout dir.
func WriteAutograding(dir string, a Autograding) error {
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	for path, content := range map[string][]byte{AutogradingPath: append(data, '\n'), WorkflowPath: []byte(workflow)} {
		target := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
