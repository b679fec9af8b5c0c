// Command grade grades students' work against the workbook's own tests:
// the chapter "Exercises" of the workbook "WebSocket in Go", for
// instructors. Run it inside exercises/ (the workbook's, with the
// solutions), giving each submission: a student's exercises folder, or the
// file `go run ./check -pack` made.
//
//	go run ./grade submissions/*.tar.gz
//	go run ./grade -only 01,02,03 -timeout 30s -o grades alice/ bob.zip
//	go run ./grade -session 3 -o grades submissions/*.tar.gz
//
// For each submission it makes a fresh copy of the exercises as handed out
// (the workbook's tests, runner and go.mod), puts the submission's non-test
// Go files of each exercise in place of the stub's, and runs the tests
// under the race detector with a time limit per exercise. Nothing else of
// the submission is used: its tests, its runner, its go.mod, links and
// files outside the exercise folders are listed as ignored.
//
// What it believes: not go test's exit status, and not its output, which
// code in the submission can print itself. Before the tests run it
// refuses, as tampered and with the reason, an exercise whose files
// declare an init or import what can exit the process or reach the
// grader's secrets (os, syscall, unsafe, testing, flag, …; see
// static.go); no exercise needs any of them. Then it seals the tests
// (seal.go): a TestMain of its own, under names the student cannot know,
// notes each workbook test's outcome from the testing package itself and
// prints it with a random per-run nonce. An exercise passes only when
// that seal is there, once, and says every workbook test passed.
//
// It writes results.json (per submission and exercise: passed, the failing
// tests, the duration, sealed, tampered; and the runner's timings),
// timings.json (per exercise: how many finished, and the median and 90th
// percentile of their minutes from the runner's first check to the first
// pass, from the .timings.json each pack holds) and summary.md (the
// class's tables) into -o, prints the tables, and exits 0 when it could
// grade every submission, whatever the grades.
//
// Students' code runs with your rights, in the test binary: grade a class
// you do not trust in a container or a throwaway account. What a
// determined cheater can still do is in the course plan, "What the grader
// trusts".
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/websocket-in-go/workbook/exercises/internal/classroom"
)

// options are the command line's choices.
type options struct {
	workbook, only, out string
	session             string
	limit               time.Duration
	submissions         []string
}

func main() {
	var o options
	flag.StringVar(&o.workbook, "workbook", ".", "the workbook's exercises folder (the tests come from there)")
	flag.StringVar(&o.only, "only", "", "grade only these exercises: numbers or names, comma-separated (those handed out)")
	flag.StringVar(&o.session, "session", "", "grade only the exercises of this session of the course plan, 1 to 8")
	flag.StringVar(&o.out, "o", "grades", "the folder to write results.json and summary.md into")
	flag.DurationVar(&o.limit, "timeout", time.Minute, "the time limit of each exercise's tests")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./grade [-only 01,02 | -session N] [-timeout 1m] [-o DIR] SUBMISSION…")
		flag.PrintDefaults()
	}
	flag.Parse()
	o.submissions = flag.Args()
	if len(o.submissions) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Stderr, o); err != nil {
		fmt.Fprintln(os.Stderr, "grade:", err)
		os.Exit(1)
	}
}

// raceWorks reports whether the race detector can run here: it needs cgo.
func raceWorks() bool {
	out, err := exec.Command("go", "env", "CGO_ENABLED").Output()
	return err == nil && strings.TrimSpace(string(out)) == "1"
}

// run grades every submission of o, writes the results and prints the
// table to w, and what it is doing to log.
func run(ctx context.Context, w, log io.Writer, o options) error {
	all, err := classroom.Exercises(o.workbook)
	if err != nil {
		return err
	}
	chosen, err := classroom.Choose(all, o.only, o.session)
	if err != nil {
		return err
	}
	race := raceWorks()
	if !race {
		fmt.Fprintln(log, "grade: warning: cgo is off here, so the tests run without the race detector (a data race then passes)")
	}
	var grades []Grade
	names := map[string]int{}
	for _, src := range o.submissions {
		start := time.Now()
		g, err := gradeOne(ctx, o.workbook, src, all, chosen, race, o.limit)
		if err != nil {
			return err
		}
		if names[g.Submission]++; names[g.Submission] > 1 {
			g.Submission = fmt.Sprintf("%s (%d)", g.Submission, names[g.Submission])
		}
		fmt.Fprintf(log, "grade: %s: %d of %d solved (%.1f s)\n", g.Submission, g.Solved, g.Total, time.Since(start).Seconds())
		grades = append(grades, g)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(o.out, "results.json"), grades); err != nil {
		return err
	}
	class := classTimings(o.workbook, chosen, grades)
	if err := writeTimings(filepath.Join(o.out, "timings.json"), class, grades); err != nil {
		return err
	}
	table := summary(chosen, grades) + timingsTable(class, grades)
	if err := os.WriteFile(filepath.Join(o.out, "summary.md"), []byte(table), 0o644); err != nil {
		return err
	}
	_, err = io.WriteString(w, table)
	return err
}

// gradeOne grades the submission at src, on the exercises chosen of all.
func gradeOne(ctx context.Context, workbook, src string, all, chosen []string, race bool, limit time.Duration) (Grade, error) {
	s, err := readSubmission(src, chosen)
	if err != nil {
		return Grade{}, err
	}
	refused := map[string]string{}
	for ex, files := range s.files {
		if why := inspect(files); why != "" {
			refused[ex] = why
		}
	}
	sl := newSeal()
	dir, want, err := prepare(workbook, chosen, s, sl)
	if err != nil {
		return Grade{}, err
	}
	defer os.RemoveAll(filepath.Dir(dir))
	results, err := runTests(ctx, dir, chosen, want, refused, race, limit, s, sl)
	if err != nil {
		return Grade{}, fmt.Errorf("%s: %w", src, err)
	}
	g := Grade{Submission: s.name, Source: src, Race: race, Timeout: limit.Seconds(), Total: len(results), Exercises: results, Ignored: s.ignored}
	g.Timings = readTimings(s, chosen, all, time.Now())
	for _, r := range results {
		if r.Passed {
			g.Solved++
		}
		if t, ok := g.Timings.Exercises[r.Exercise]; ok && t.FirstGreen != nil && !r.Passed {
			g.Timings.Problems = append(g.Timings.Problems, r.Exercise+": green in the runner, not in the grade")
		}
	}
	return g, nil
}
