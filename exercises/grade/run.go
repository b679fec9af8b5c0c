package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
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
	// Sealed is true when the run's seal was found (see seal.go): only
	// a sealed run can pass. Tampered says why the submission's code was
	// refused or its output not believed; Note why there was no seal.
	Sealed   bool   `json:"sealed"`
	Tampered string `json:"tampered,omitempty"`
	Note     string `json:"note,omitempty"`
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
// that what is graded is what the student wrote, and only that. Then it
// seals each exercise's tests (see seal.go) and returns, by exercise, the
// workbook's top-level tests, each of which must be sealed as passed.
func prepare(workbook string, chosen []string, s *submission, sl seal) (string, map[string][]string, error) {
	dir, err := copyIn(workbook, chosen, s)
	if err != nil {
		return "", nil, err
	}
	s.ignored = changedOnly(s.ignored, dir) // against the tests as handed out, before the seal renames them
	want := map[string][]string{}
	for _, ex := range chosen {
		if want[ex], err = sl.sealTests(filepath.Join(dir, ex)); err != nil {
			os.RemoveAll(filepath.Dir(dir))
			return "", nil, err
		}
	}
	return dir, want, nil
}

// copyIn is prepare's copy: the workbook's exercises with the submission's
// files in place of the stubs.
func copyIn(workbook string, chosen []string, s *submission) (string, error) {
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

// runTests runs the sealed tests of the exercises in dir (made by
// prepare; want lists each one's tests), under the race detector if race,
// each test binary limited to limit, and grades each exercise by its seal
// alone. The exercises in refused (the static check's reasons) are not
// run: they fail, with the reason.
func runTests(ctx context.Context, dir string, chosen []string, want map[string][]string, refused map[string]string,
	race bool, limit time.Duration, s *submission, sl seal) ([]Result, error) {
	args := []string{"test", "-json", "-count=1", "-timeout", limit.String()}
	if race {
		args = append(args, "-race")
	}
	run := 0
	for _, ex := range chosen {
		if refused[ex] == "" {
			args = append(args, "./"+ex+"/")
			run++
		}
	}
	pkgs := map[string]*pkgEvents{}
	var stderr strings.Builder
	if run > 0 {
		var err error
		if pkgs, err = goTest(ctx, dir, args, time.Duration(run)*limit+5*time.Minute, sl, &stderr); err != nil {
			return nil, err
		}
	}
	var results []Result
	for _, ex := range chosen {
		r := Result{Exercise: ex, Failed: []string{}, Submitted: s.files[ex] != nil, Tampered: refused[ex]}
		if r.Tampered != "" {
			r.Missing = want[ex]
			results = append(results, r)
			continue
		}
		p := pkgs[ex]
		if p == nil {
			p = newPkgEvents()
			p.output[""].WriteString(stderr.String())
		}
		v := sl.judge(p.seals.lines)
		r.Seconds, r.Sealed = p.elapsed, v.sealed
		for _, t := range want[ex] {
			if v.outcomes[t] != "pass" {
				r.Missing = append(r.Missing, t)
			}
		}
		// The seal grades; go test's verdict on the package must agree (a
		// binary that printed a seal and was then killed did not pass).
		r.Passed = v.sealed && v.status == 0 && len(r.Missing) == 0 && len(want[ex]) > 0 && v.forged == 0 && p.exited0
		switch {
		case v.forged > 0:
			r.Tampered = fmt.Sprintf("the output holds %d forged grader seal lines", v.forged)
		case !v.sealed:
			r.Note = "no seal: the test binary did not finish its run (a build failure, a crash, a timeout, or code that exits)"
		case !p.exited0:
			r.Note = "sealed, but the test binary did not exit 0 (failed, crashed, or not our seal)"
		}
		if !r.Passed {
			// The events name the failed subtests; they are believed only
			// to describe a failure, never to grade.
			r.Failed = append(r.Failed, p.failed...)
			for _, t := range want[ex] {
				if v.outcomes[t] == "fail" && !slices.Contains(r.Failed, t) {
					r.Failed = append(r.Failed, t)
				}
			}
			r.Output = p.failureOutput(r.Missing)
		}
		results = append(results, r)
	}
	return results, nil
}

// goTest runs go with args in dir, with the seal's nonce in the
// environment, and returns the events of each package; bound bounds the
// whole run (building included).
func goTest(ctx context.Context, dir string, args []string, bound time.Duration, sl seal, stderr *strings.Builder) (map[string]*pkgEvents, error) {
	// go test kills a test binary that outlives -timeout by a minute; bound
	// is the bound on everything else.
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	// The grader's environment, not the student's: no workspace, no flags.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "CGO_ENABLED="+map[bool]string{true: "1", false: "0"}[slices.Contains(args, "-race")],
		sealEnv+"="+sl.nonce)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pkgs := parseEvents(out)
	_, _ = io.Copy(io.Discard, out) // whatever parseEvents could not read: go test must not block on it
	err = cmd.Wait()
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		return nil, fmt.Errorf("go test: %w", err)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("go test did not finish within %v", bound)
	}
	return pkgs, nil
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

// pkgEvents is what the events say of one package. Only the seal lines
// grade; the rest describes a failure.
type pkgEvents struct {
	exited0 bool // the package's last event is a pass: go test saw the binary exit 0
	elapsed float64
	failed  []string
	output  map[string]*strings.Builder // by test; "" for the package and its build
	seals   sealLines                   // the output's seal lines, whatever test the events said it was of
}

// newPkgEvents is an empty pkgEvents.
func newPkgEvents() *pkgEvents {
	return &pkgEvents{output: map[string]*strings.Builder{"": {}}}
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
			p = newPkgEvents()
			pkgs[name] = p
		}
		switch e.Action {
		case "output", "build-output":
			if e.Action == "output" {
				p.seals.write(e.Output)
			}
			b := p.output[e.Test]
			if b == nil {
				b = &strings.Builder{}
				p.output[e.Test] = b
			}
			if b.Len() < 4*maxOutput {
				b.WriteString(e.Output)
			}
		case "pass", "fail", "build-fail":
			if e.Test == "" {
				p.exited0, p.elapsed = e.Action == "pass", math.Round(e.Elapsed*1000)/1000
			} else if e.Action == "fail" && len(p.failed) < 1000 {
				p.failed = append(p.failed, e.Test)
			}
		}
	}
	return pkgs
}
