package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The seal: what the grader believes of a test run.
//
// A submission's code is compiled into the test binary, so it can print
// whatever go test prints ("=== RUN", "--- PASS: TestX", "ok") and exit
// with status 0 before a single test has run. The exit status and the
// test events are therefore not believed. Instead the grader writes one
// more test file into each exercise: it renames every top-level test of
// the workbook's test files (TestF becomes a name with a random part the
// student cannot know when writing the code) and declares in its place a
// TestF that runs it and, when it and all its subtests are done
// (t.Cleanup), notes its outcome from testing's own t.Failed and
// t.Skipped; and a TestMain that takes a per-run random nonce out of the
// environment (before any test runs), calls m.Run, and prints one line:
//
//	GRADE-SEAL <nonce> <m.Run's status> TestF=pass TestFTwice=fail …
//
// An exercise passes only when exactly one such line with the run's nonce
// is in its output, its status is 0 and every workbook test is noted
// "pass". Code that exits early leaves no seal; code that stops tests
// from running leaves them unnoted; a line printed with another nonce is
// reported as forged.
const (
	sealPrefix = "GRADE-SEAL "
	sealEnv    = "WORKBOOK_GRADE_SEAL"
	sealFile   = "grade_seal_test.go"
)

// seal is one submission's secrets: id goes into the generated names,
// nonce into the environment of the run.
type seal struct{ id, nonce string }

// newSeal makes fresh random secrets.
func newSeal() seal {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return seal{id: hex.EncodeToString(b[:4]), nonce: hex.EncodeToString(b[4:])}
}

// sealTests rewrites the test files of the exercise in dir as the seal
// needs (each top-level test renamed, in place, so that every line number
// stays) and writes the sealing file beside them. It returns the tests
// sealed, sorted.
func (s seal) sealTests(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	var tests []string
	pkg := ""
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if pkg != "" && f.Name.Name != pkg {
			return nil, fmt.Errorf("%s: the workbook's tests are in two packages (%s and %s); the seal needs one", dir, pkg, f.Name.Name)
		}
		pkg = f.Name.Name
		var at []int // offsets of the names to rename, last first
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil {
				continue
			}
			if fn.Name.Name == "TestMain" {
				return nil, fmt.Errorf("%s has a TestMain of its own; the seal needs its place", p)
			}
			if testName.MatchString(fn.Name.Name) {
				tests = append(tests, fn.Name.Name)
				at = append(at, fset.Position(fn.Name.Pos()).Offset)
			}
		}
		slices.Reverse(at)
		for _, off := range at {
			src = slices.Concat(src[:off], []byte(s.hidden("")), src[off:])
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			return nil, err
		}
	}
	if len(tests) == 0 {
		return nil, nil
	}
	slices.Sort(tests)
	return tests, os.WriteFile(filepath.Join(dir, sealFile), []byte(s.source(pkg, tests)), 0o644)
}

// hidden is the name a workbook test is renamed to (prefix + name).
func (s seal) hidden(name string) string { return "sealed" + s.id + "_" + name }

// source is the sealing test file of a package whose tests are tests.
func (s seal) source(pkg string, tests []string) string {
	var b strings.Builder
	x := s.id
	fmt.Fprintf(&b, `package %s

// This file is the grader's, written for this run only: see grade/seal.go.

import (
	os%[2]s "os"
	sort%[2]s "sort"
	strconv%[2]s "strconv"
	strings%[2]s "strings"
	sync%[2]s "sync"
	testing%[2]s "testing"
)

var seal%[2]s struct {
	sync%[2]s.Mutex
	outcome map[string]string
}

func run%[2]s(t *testing%[2]s.T, name string, test func(*testing%[2]s.T)) {
	t.Cleanup(func() {
		outcome := "pass"
		switch {
		case t.Failed():
			outcome = "fail"
		case t.Skipped():
			outcome = "skip"
		}
		seal%[2]s.Lock()
		seal%[2]s.outcome[name] = outcome
		seal%[2]s.Unlock()
	})
	test(t)
}

func TestMain(m *testing%[2]s.M) {
	nonce := os%[2]s.Getenv(%[3]q)
	_ = os%[2]s.Unsetenv(%[3]q)
	seal%[2]s.Lock()
	seal%[2]s.outcome = map[string]string{}
	seal%[2]s.Unlock()
	code := m.Run()
	seal%[2]s.Lock()
	var noted []string
	for name, outcome := range seal%[2]s.outcome {
		noted = append(noted, name+"="+outcome)
	}
	seal%[2]s.Unlock()
	sort%[2]s.Strings(noted)
	_, _ = os%[2]s.Stdout.WriteString("\n" + %[4]q + nonce + " " + strconv%[2]s.Itoa(code) + " " + strings%[2]s.Join(noted, " ") + "\n")
	os%[2]s.Exit(code)
}
`, pkg, x, sealEnv, sealPrefix)
	for _, t := range tests {
		fmt.Fprintf(&b, "\nfunc %s(t *testing%s.T) { run%s(t, %q, %s) }\n", t, x, x, t, s.hidden(t))
	}
	return b.String()
}

// verdict is what the seals found in an exercise's output say.
type verdict struct {
	sealed   bool              // exactly one seal with the run's nonce
	status   int               // m.Run's status, if sealed
	outcomes map[string]string // test → pass, fail or skip, if sealed
	forged   int               // seal lines with another nonce, or too many
}

// judge reads the seal lines of one exercise's output.
func (s seal) judge(lines []string) verdict {
	v := verdict{}
	var good []string
	for _, line := range lines {
		rest, _ := strings.CutPrefix(line, sealPrefix)
		nonce, rest, _ := strings.Cut(rest, " ")
		if nonce != s.nonce {
			v.forged++
			continue
		}
		good = append(good, rest)
	}
	if len(good) != 1 {
		if len(good) > 1 {
			v.forged += len(good)
		}
		return v
	}
	fields := strings.Fields(good[0])
	if len(fields) == 0 {
		v.forged++
		return v
	}
	status, err := strconv.Atoi(fields[0])
	if err != nil {
		v.forged++
		return v
	}
	v.sealed, v.status, v.outcomes = true, status, map[string]string{}
	for _, f := range fields[1:] {
		name, outcome, _ := strings.Cut(f, "=")
		v.outcomes[name] = outcome
	}
	return v
}

// sealLines collects the lines of output that begin with the seal's
// prefix; partial holds the unfinished last line (at most maxLine bytes:
// the seal line begins a line of its own and is short).
type sealLines struct {
	partial []byte
	lines   []string
}

// maxLine bounds the unfinished line kept, and the seal lines kept.
const maxLine = 16 << 10

// write takes the next piece of output.
func (l *sealLines) write(text string) {
	data := append(l.partial, text...)
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		if line := string(data[:i]); strings.HasPrefix(line, sealPrefix) && len(l.lines) < 100 {
			l.lines = append(l.lines, line)
		}
		data = data[i+1:]
	}
	if len(data) > maxLine {
		data = data[len(data)-maxLine:] // not a seal's start: the seal is short
		data[0] = 0
	}
	l.partial = append(l.partial[:0], data...)
}
