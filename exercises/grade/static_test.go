package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInspect: the static check refuses what can fake a grade, says where,
// and lets through what a student plausibly writes.
func TestInspect(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string // want: a part of the reason; "" to let it through
	}{
		{"plain code", "package a\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"sync\"\n)\n\nvar x = fmt.Sprint(1)\n\nvar _ http.Handler\nvar _ sync.Mutex\n", ""},
		{"a build line and a generate line", "//go:build !windows\n\n//go:generate echo\npackage a\n", ""},
		{"an init", "package a\n\nfunc init() {}\n", "f.go:3 declares func init"},
		{"a method called init", "package a\n\ntype T struct{}\n\nfunc (T) init() {}\n", ""},
		{"os", "package a\n\nimport \"os\"\n\nvar _ = os.Args\n", `f.go:3 imports "os"`},
		{"os/exec", "package a\n\nimport _ \"os/exec\"\n", `imports "os/exec"`},
		{"syscall", "package a\n\nimport \"syscall\"\n\nvar _ = syscall.Exit\n", `imports "syscall"`},
		{"x/sys", "package a\n\nimport _ \"golang.org/x/sys/unix\"\n", `imports "golang.org/x/sys/unix"`},
		{"unsafe", "package a\n\nimport _ \"unsafe\"\n", `imports "unsafe"`},
		{"testing", "package a\n\nimport _ \"testing\"\n", `imports "testing"`},
		{"testing/synctest", "package a\n\nimport _ \"testing/synctest\"\n", `imports "testing/synctest"`},
		{"a package called testingx is not testing", "package a\n\nimport _ \"example.com/testingx\"\n", ""},
		{"flag", "package a\n\nimport _ \"flag\"\n", `imports "flag"`},
		{"cgo", "package a\n\n// #include <stdlib.h>\nimport \"C\"\n", `imports "C"`},
		{"io/ioutil reads any file", "package a\n\nimport _ \"io/ioutil\"\n", `imports "io/ioutil"`},
		{"runtime/debug", "package a\n\nimport _ \"runtime/debug\"\n", `imports "runtime/debug"`},
		{"linkname", "package a\n\n//go:linkname x runtime.x\nvar x int\n", "f.go:3 has the directive //go:linkname"},
		{"embed", "package a\n\n//go:embed f_test.go\nvar s string\n", "has the directive //go:embed"},
		{"code that does not parse is the build's to fail", "package a\n\nfunc {", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := inspect(map[string][]byte{"f.go": []byte(tc.src)})
			if tc.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tc.want)
				assert.Contains(t, got, "refused before testing")
			}
		})
	}
	both := inspect(map[string][]byte{"b.go": []byte("package a\n\nfunc init() {}\n"), "a.go": []byte("package a\n\nimport _ \"os\"\n")})
	assert.Contains(t, both, `a.go:3 imports "os"; b.go:3 declares func init`, "every reason, by file")
}

// TestNoReferenceAnswerIsRefused: the static check lets through every Go
// file of the workbook's exercises that a student could hand in: the
// stubs, the reference solutions and their helper files, and every
// mutant (a plausible wrong answer must be graded wrong, not refused).
func TestNoReferenceAnswerIsRefused(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "[0-9][0-9]-*", "*.go"))
	require.NoError(t, err)
	mutants, err := filepath.Glob(filepath.Join("..", "[0-9][0-9]-*", "mutants", "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, mutants)
	n := 0
	for _, p := range append(paths, mutants...) {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.Empty(t, inspect(map[string][]byte{filepath.Base(p): data}), p)
		n++
	}
	assert.Greater(t, n, 17*3, "the stubs, solutions and mutants of every exercise")
}
