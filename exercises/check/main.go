// Command check is the exercises' runner, for the chapter "Exercises" of
// the workbook "WebSocket in Go". Run it inside the exercises folder:
//
//	go run ./check              # test the current exercise (the first unsolved)
//	go run ./check 07           # test exercise 7 (or give its name: frame-header)
//	go run ./check -watch       # test again on every save; move on when it passes
//	go run ./check -hint        # the next hint for the current (or chosen) exercise
//	go run ./check -list        # every exercise, ✓/✗ from the last results
//	go run ./check -all         # test every exercise
//	go run ./check -pack        # pack your work into one file to hand in
//	go run ./check -preflight   # is this machine ready? (Go, modules, git, ports)
//
// It exits with status 1 while what it checked is not solved (for -list
// and -all: while any exercise is not), so that a script or a CI job can
// tell; -watch keeps watching whatever the results.
//
// It runs `go test` on the exercises as you wrote them, with the race
// detector where the machine has one (cgo), and remembers the results and
// the hints you have seen in the file .progress, and in .timings.json when
// each exercise was first tested, when it first passed and how many times
// it was tested (-pack hands that in, for the course's measured minutes).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"
)

// pollEvery is how often -watch looks at the exercise's files: a save is
// noticed within this, and answered a test run later (about a second).
const pollEvery = 100 * time.Millisecond

// options are the command line's choices.
type options struct {
	pick                   string // an exercise's number or name; "" for the current one
	hint, watch, list, all bool
	pack, preflight        bool
	as                     string // the name on the packed file
}

// errUnsolved is run's answer when what it checked is not solved: the
// command exits with status 1, having said so already.
var errUnsolved = errors.New("not solved yet")

func main() {
	var o options
	flag.BoolVar(&o.hint, "hint", false, "print the next hint for the current (or chosen) exercise")
	flag.BoolVar(&o.watch, "watch", false, "test the exercise again whenever one of its files changes")
	flag.BoolVar(&o.list, "list", false, "list every exercise with ✓/✗ from the last results")
	flag.BoolVar(&o.all, "all", false, "test every exercise")
	flag.BoolVar(&o.pack, "pack", false, "pack your work into submission-NAME.tar.gz, the one file to hand in")
	flag.BoolVar(&o.preflight, "preflight", false, "check this machine is ready for the course: Go, the modules, git, ports")
	flag.StringVar(&o.as, "as", "", "with -pack: the NAME on the file (default: your login name)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./check [-watch | -hint | -list | -all | -pack [-as NAME] | -preflight] [exercise]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	o.pick = flag.Arg(0)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, ".", o); errors.Is(err, errUnsolved) {
		os.Exit(1)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(1)
	}
}

// run does what o asks, in the exercises folder root.
func run(ctx context.Context, w io.Writer, root string, o options) error {
	if o.preflight {
		return preflight(ctx, w, root)
	}
	exercises, err := findExercises(root)
	if err != nil {
		return err
	}
	if len(exercises) == 0 {
		return fmt.Errorf("no exercises in %s: run check inside the exercises folder", root)
	}
	p := loadProgress(root)
	current := p.current(exercises)
	if o.pick != "" {
		if current, err = pick(exercises, o.pick); err != nil {
			return err
		}
	}
	switch {
	case o.pack:
		return pack(w, root, exercises, o.as)
	case o.list:
		list(w, exercises, p, current)
		return solved(p, exercises)
	case o.hint:
		return printHint(w, root, current)
	case o.all:
		start := time.Now()
		statuses, err := testAll(ctx, root, exercises)
		if err != nil {
			return err
		}
		if err := noteChecks(root, start, statuses); err != nil {
			return err
		}
		for e, s := range statuses {
			p.Results[e] = s.passed
		}
		if err := p.save(root); err != nil {
			return err
		}
		list(w, exercises, p, p.current(exercises))
		if next := p.current(exercises); next != "" {
			showFailure(w, next, statuses[next])
		}
		return solved(p, exercises)
	}
	follow := o.pick == "" // without a choice, move on to the next exercise as each one passes
	var saved time.Time
	for {
		// The files as they were before the test: a save during the test
		// is a change too.
		before := snapshot(filepath.Join(root, current))
		next, err := checkFrom(ctx, w, root, exercises, p, current, follow, saved)
		if err != nil || next == "" {
			return err
		}
		if !o.watch {
			if p.Results[next] {
				return nil // the chosen exercise passed
			}
			return errUnsolved
		}
		if next != current {
			before = snapshot(filepath.Join(root, next))
		}
		current = next
		fmt.Fprintf(w, "\nwatching %s/ for changes (Ctrl-C to stop)…\n", current)
		if saved = waitForChange(ctx, filepath.Join(root, current), before); saved.IsZero() {
			return solved(p, exercises)
		}
		fmt.Fprintln(w)
	}
}

// checkFrom tests ex and, if follow, each next unsolved exercise while they
// pass; it records the results and returns the exercise to work on next
// ("" when every one is solved). saved, if not zero, is when the student
// saved the file that started this check (in -watch): the answer says how
// long after, and leaves go vet out to come sooner.
func checkFrom(ctx context.Context, w io.Writer, root string, exercises []string, p *progress, ex string, follow bool, saved time.Time) (string, error) {
	for ex != "" {
		start := time.Now()
		s, err := testOne(ctx, root, ex, !saved.IsZero())
		if err != nil {
			return "", err
		}
		p.Results[ex] = s.passed
		if err := p.save(root); err != nil {
			return "", err
		}
		if err := noteCheck(root, ex, start, s.passed, true); err != nil {
			return "", err
		}
		took := fmt.Sprintf("checked in %.1f s", time.Since(start).Seconds())
		if !saved.IsZero() {
			took += fmt.Sprintf(", %.1f s after your save", time.Since(saved).Seconds())
			saved = time.Time{}
		}
		if !s.passed {
			fmt.Fprintf(w, "✗ %s (%s)\n", ex, took)
			showFailure(w, ex, s)
			summary(w, exercises, p)
			return ex, nil
		}
		fmt.Fprintf(w, "✓ %s (%s)\n", ex, took)
		if !follow {
			summary(w, exercises, p)
			return ex, nil
		}
		ex = p.current(exercises)
	}
	fmt.Fprintln(w, "\nEvery exercise is solved. Well done!")
	summary(w, exercises, p)
	return "", nil
}

// solved is errUnsolved while an exercise has not passed at its last check.
func solved(p *progress, exercises []string) error {
	if p.current(exercises) != "" {
		return errUnsolved
	}
	return nil
}
