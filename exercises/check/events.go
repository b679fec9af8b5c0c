package main

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	ImportPath string // on build-output and build-fail lines
	Test       string
	Output     string
}

// status is one exercise's result.
type status struct {
	passed bool
	// failure is the output of its first failing test (the innermost: a
	// subtest rather than its parent), or of the build if it did not
	// compile.
	failure string
	// failed counts the failing tests, subtests included.
	failed int
}

// parseEvents reads `go test -json` output and returns each package's
// status, by import path.
func parseEvents(r io.Reader) map[string]status {
	type pkg struct {
		done, passed bool
		firstFail    string
		failed       int
		output       map[string]*strings.Builder // by test; "" for the package
	}
	pkgs := map[string]*pkg{}
	get := func(name string) *pkg {
		if pkgs[name] == nil {
			pkgs[name] = &pkg{output: map[string]*strings.Builder{}}
		}
		return pkgs[name]
	}
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
		name = strings.TrimSuffix(strings.Fields(name + " x")[0], ".test")
		p := get(name)
		switch e.Action {
		case "output", "build-output":
			b := p.output[e.Test]
			if b == nil {
				b = &strings.Builder{}
				p.output[e.Test] = b
			}
			b.WriteString(e.Output)
		case "fail", "build-fail":
			if e.Test != "" {
				// A subtest fails before its parent: the first failure
				// reported is the innermost.
				if p.firstFail == "" {
					p.firstFail = e.Test
				}
				p.failed++
			} else {
				p.done, p.passed = true, false
			}
		case "pass":
			if e.Test == "" {
				p.done, p.passed = true, true
			}
		}
	}
	out := map[string]status{}
	for name, p := range pkgs {
		s := status{passed: p.done && p.passed, failed: p.failed}
		if !s.passed {
			if b := p.output[p.firstFail]; p.firstFail != "" && b != nil {
				s.failure = b.String()
			} else if b := p.output[""]; b != nil {
				s.failure = b.String()
			}
		}
		out[name] = s
	}
	return out
}
