package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// forbiddenImports are the packages a submission's code may not import:
// each is a way for code to leave the tests (exit with any status), to
// reach the process's environment, file descriptors and memory (where
// the grader's seal lives), or to act as the testing package itself. No
// exercise needs one; the reference solutions are checked against this
// list by the grader's own tests and by CI.
var forbiddenImports = []string{"C", "flag", "io/ioutil", "os", "plugin", "runtime/cgo", "runtime/debug", "syscall", "unsafe"}

// forbiddenPrefixes are import paths forbidden with everything below them.
var forbiddenPrefixes = []string{"testing/", "os/", "syscall/", "internal/", "golang.org/x/sys/"}

// allowedDirectives are the //go: comments a submission may carry.
var allowedDirectives = []string{"//go:build", "//go:generate"}

// inspect reads a submission's non-test Go files of one exercise and says
// why they are refused, or "" when they may be graded. What it refuses is
// what code needs to fake a grade from inside the test binary: an init
// function or a package variable's initialiser runs before the tests, so
// an init is refused outright; the imports above are how such code would
// exit with status 0 or find the grader's seal; //go:linkname reaches
// any unexported function of the runtime or the testing package and
// //go:embed reads files of the package's folder at build time.
func inspect(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var reasons []string
	for _, name := range names {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, files[name], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue // the build says what is wrong, and fails the exercise
		}
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				continue
			}
			if path == "testing" || slices.Contains(forbiddenImports, path) ||
				slices.ContainsFunc(forbiddenPrefixes, func(p string) bool { return strings.HasPrefix(path, p) }) {
				reasons = append(reasons, fmt.Sprintf("%s imports %q", at(fset, imp.Pos()), path))
			}
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "init" {
				reasons = append(reasons, fmt.Sprintf("%s declares func init", at(fset, fn.Pos())))
			}
		}
		for _, group := range f.Comments {
			for _, c := range group.List {
				if !strings.HasPrefix(c.Text, "//go:") {
					continue
				}
				directive, _, _ := strings.Cut(c.Text, " ")
				if !slices.Contains(allowedDirectives, directive) {
					reasons = append(reasons, fmt.Sprintf("%s has the directive %s", at(fset, c.Pos()), directive))
				}
			}
		}
	}
	if len(reasons) == 0 {
		return ""
	}
	return "refused before testing: " + strings.Join(reasons, "; ") +
		" (the exercises need none of these, and code that has them can fake a grade)"
}

// at is a position as file:line.
func at(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", p.Filename, p.Line)
}
