package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/websocket-in-go/workbook/exercises/internal/classroom"
)

// Result is one exercise's grade.
type Result struct {
	Exercise string `json:"exercise"`
	Passed   bool   `json:"passed"`
	// Failed names the tests that failed, subtests included
	// ("TestX/case"); Missing the workbook's tests that did not run to a
	// pass (a build failure, a timeout, code that stopped the tests).
	Failed  []string `json:"failed_tests"`
	Missing []string `json:"did_not_pass,omitempty"`
	// Seconds is how long the exercise's tests ran (go test's count).
	Seconds float64 `json:"seconds"`
	// Output is the start of the first failure's output, or the build's.
	Output string `json:"output,omitempty"`
	// Submitted is false when the submission had no Go file for the
	// exercise: the stub was graded.
	Submitted bool `json:"submitted"`
}

// maxOutput bounds the output kept per exercise.
const maxOutput = 4 << 10

// prepare makes a fresh copy of the workbook's exercises at workbook, as
// handed out (the workbook's tests, runner and module file), and puts the
// submission's Go files of each exercise in place of the stub's: every
// non-test Go file of an exercise it has files for is removed first, so
// that what is graded is what the student wrote, and only that.
func prepare(workbook string, chosen []string, s *submission) (string, error) {
	tmp, err := os.MkdirTemp("", "grade-")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(tmp, "exercises")
	if _, err := classroom.Copy(workbook, dir, classroom.DefaultBook, chosen); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	for ex, files := range s.files {
		old, err := filepath.Glob(filepath.Join(dir, ex, "*.go"))
		if err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
		for _, f := range old {
			if !strings.HasSuffix(f, "_test.go") {
				if err := os.Remove(f); err != nil {
					os.RemoveAll(tmp)
					return "", err
				}
			}
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, ex, name), data, 0o644); err != nil {
				os.RemoveAll(tmp)
				return "", err
			}
		}
	}
	return dir, nil
}

// testName is a top-level test function's name.
var testName = regexp.MustCompile(`^Test([A-Z0-9_]|$)`)

// expectedTests lists the top-level tests of an exercise's test files:
// each must run and pass, so that code which stops the tests before they
// run (an os.Exit in an init, a -test.run of its own) passes nothing.
func expectedTests(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range paths {
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name != "TestMain" && testName.MatchString(fn.Name.Name) {
				names = append(names, fn.Name.Name)
			}
		}
	}
	slices.Sort(names)
	return names, nil
}

// runTests runs the pristine tests of the exercises in dir (made by
// prepare), under the race detector if race, each test binary limited to
// limit, and grades each exercise.
func runTests(ctx context.Context, dir string, chosen []string, race bool, limit time.Duration, s *submission) ([]Result, error) {
	args := []string{"test", "-json", "-count=1", "-timeout", limit.String()}
	if race {
		args = append(args, "-race")
	}
	for _, ex := range chosen {
		args = append(args, "./"+ex+"/")
	}
	// go test kills a test binary that outlives -timeout by a minute; this
	// is the bound on everything else (building included).
	ctx, cancel := context.WithTimeout(ctx, time.Duration(len(chosen))*limit+5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	// The grader's environment, not the student's: no workspace, no flags.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "CGO_ENABLED="+map[bool]string{true: "1", false: "0"}[race])
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pkgs := parseEvents(out)
	err = cmd.Wait()
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		return nil, fmt.Errorf("go test: %w", err)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("go test did not finish within %v", time.Duration(len(chosen))*limit+5*time.Minute)
	}
	var results []Result
	for _, ex := range chosen {
		want, err := expectedTests(filepath.Join(dir, ex))
		if err != nil {
			return nil, err
		}
		p := pkgs[ex]
		if p == nil {
			p = &pkgEvents{output: map[string]*strings.Builder{}, passed: map[string]bool{}}
			p.output[""] = &strings.Builder{}
			p.output[""].WriteString(stderr.String())
		}
		r := Result{Exercise: ex, Seconds: p.elapsed, Failed: p.failed, Submitted: s.files[ex] != nil}
		if r.Failed == nil {
			r.Failed = []string{}
		}
		for _, t := range want {
			if !p.passed[t] {
				r.Missing = append(r.Missing, t)
			}
		}
		r.Passed = p.pass && len(r.Failed) == 0 && len(r.Missing) == 0 && len(want) > 0
		if !r.Passed {
			r.Output = p.failureOutput(r.Missing)
		}
		results = append(results, r)
	}
	return results, nil
}

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
	Elapsed    float64
}

// pkgEvents is what the events say of one package.
type pkgEvents struct {
	pass    bool
	elapsed float64
	failed  []string
	passed  map[string]bool
	output  map[string]*strings.Builder // by test; "" for the package and its build
}

// failureOutput is the output of the first failed test, or of the first
// that did not pass (a timeout's panic is the running test's), then the
// package's (a build failure), at most maxOutput bytes.
func (p *pkgEvents) failureOutput(missing []string) string {
	var text string
	for _, t := range append(slices.Clone(p.failed), missing...) {
		if b := p.output[t]; b != nil {
			text = b.String()
			break
		}
	}
	if b := p.output[""]; b != nil {
		text += b.String()
	}
	if len(text) > maxOutput {
		text = text[:maxOutput] + "\n…(cut)\n"
	}
	return text
}

// parseEvents reads `go test -json` and returns each package's events, by
// the exercise's folder name.
func parseEvents(r io.Reader) map[string]*pkgEvents {
	pkgs := map[string]*pkgEvents{}
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		var e event
		if json.Unmarshal(scanner.Bytes(), &e) != nil {
			continue
		}
		name := e.Package
		if name == "" {
			name = e.ImportPath
		}
		name = filepath.Base(strings.TrimSuffix(strings.Fields(name + " x")[0], ".test"))
		p := pkgs[name]
		if p == nil {
			p = &pkgEvents{passed: map[string]bool{}, output: map[string]*strings.Builder{}}
			pkgs[name] = p
		}
		switch e.Action {
		case "output", "build-output":
			b := p.output[e.Test]
			if b == nil {
				b = &strings.Builder{}
				p.output[e.Test] = b
			}
			if b.Len() < 4*maxOutput {
				b.WriteString(e.Output)
			}
		case "pass":
			if e.Test == "" {
				p.pass, p.elapsed = true, math.Round(e.Elapsed*1000)/1000
			} else {
				p.passed[e.Test] = true
			}
		case "fail", "build-fail":
			if e.Test == "" {
				p.pass, p.elapsed = false, math.Round(e.Elapsed*1000)/1000
			} else {
				p.failed = append(p.failed, e.Test)
			}
		}
	}
	return pkgs
}
