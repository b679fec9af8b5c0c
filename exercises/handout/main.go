// Command handout copies the exercises for students, without what is for
// instructors: the chapter "Exercises" of the workbook "WebSocket in Go".
// Run it inside exercises/:
//
//	go run ./handout -o /tmp/class-exercises
//	go run ./handout -session 3 -o /tmp/session3   # one session's exercises, as the course plan says
//	go run ./handout -only 01,02,03 -o /tmp/day1   # the exercises named
//	go run ./handout -vendor -o /tmp/offline       # builds with no network and an empty module cache
//
// It leaves behind the reference solutions (*_solution.go), the wrong
// answers the tests are proved against (mutants/), INSTRUCTORS.md, the
// runner's .progress file and the instructors' commands (handout, grade).
// It takes the build constraints off the stubs (with nothing else to
// choose from they are always built) and turns every link into the book
// (../../chapters/X.md) into a link to the published chapter, so that no
// link points outside the copy. The copy is its own Go module, `go run
// ./check` works in it at once, and it is a git repository whose first
// commit is the handout, with a GitHub Classroom autograding
// configuration (.github/classroom/autograding.json) for its exercises.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/websocket-in-go/workbook/exercises/internal/classroom"
)

// options are the command line's choices.
type options struct {
	out, book, only string
	session         string // a session's number in the course plan
	vendor, git     bool
	limit           time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.out, "o", "", "the folder to create (must not exist yet)")
	flag.StringVar(&o.book, "book", classroom.DefaultBook, "the URL the book's chapters are published under: chapters/X.md becomes X.html there (X.md for a GitHub blob/ URL)")
	flag.StringVar(&o.only, "only", "", "hand out only these exercises: numbers or names, comma-separated (01,02,03)")
	flag.StringVar(&o.session, "session", "", "hand out the exercises of this session of the course plan, 1 to 8 (in class and homework)")
	flag.BoolVar(&o.vendor, "vendor", false, "run go mod vendor in the copy, so that it builds offline with an empty module cache")
	flag.BoolVar(&o.git, "git", true, "make the copy a git repository with a first commit")
	flag.DurationVar(&o.limit, "timeout", time.Minute, "the time limit per exercise in the autograding configuration")
	flag.Parse()
	if o.out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./handout [-only 01,02 | -session N] [-vendor] [-book URL] -o DIR")
		os.Exit(2)
	}
	n, exercises, err := makeHandout(".", o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "handout:", err)
		os.Exit(1)
	}
	fmt.Printf("copied %d files (%d exercises) to %s\n", n, exercises, o.out)
}

// makeHandout makes the copy o asks for from the exercises at src; it returns
// the number of files copied and of exercises handed out.
func makeHandout(src string, o options) (int, int, error) {
	all, err := classroom.Exercises(src)
	if err != nil {
		return 0, 0, err
	}
	chosen, err := classroom.Choose(all, o.only, o.session)
	if err != nil {
		return 0, 0, err
	}
	n, err := classroom.Copy(src, o.out, o.book, chosen)
	if err != nil {
		return 0, 0, err
	}
	a, err := classroom.NewAutograding(o.out, chosen, o.limit)
	if err != nil {
		return 0, 0, err
	}
	if err := classroom.WriteAutograding(o.out, a); err != nil {
		return 0, 0, err
	}
	if o.vendor {
		if err := classroom.Vendor(o.out); err != nil {
			return 0, 0, err
		}
	}
	if o.git {
		if err := classroom.InitRepo(o.out); err != nil {
			return 0, 0, err
		}
	}
	return n, len(chosen), nil
}
