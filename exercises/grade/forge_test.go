package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRun is what go test -v prints for the fixture's 01-a when it
// passes, in both forms test2json reads: plain, and framed with the ^V
// marker that -test.v=test2json puts before its own lines.
const fakeRun = "=== RUN   TestF\n--- PASS: TestF (0.00s)\n=== RUN   TestFTwice\n--- PASS: TestFTwice (0.00s)\n" +
	"\x16=== RUN   TestF\n\x16--- PASS: TestF (0.00s)\n\x16=== RUN   TestFTwice\n\x16--- PASS: TestFTwice (0.00s)\n" +
	"\x16PASS\nPASS\nok  \texample.com/wb/01-a\t0.001s\n"

// forgery is a submission of 01-a whose F is wrong (or, for the one marked
// legit, right) and which tries to make the grader believe it passed.
type forgery struct {
	name string
	code string // 01-a/f.go
	// refused is a part of the static check's reason; "" if it lets the
	// code through.
	refused string
	// sealOnly is whether the seal alone (the static check skipped) grades
	// it passed: only the legit one, and the one that reads the nonce.
	sealOnly bool
	// forged: the seal alone reports forged seal lines.
	forged bool
}

// goFile is a Go file of package a with imports and a body.
func goFile(imports []string, body string) string {
	var b strings.Builder
	b.WriteString("package a\n\n")
	if len(imports) > 0 {
		b.WriteString("import (\n")
		for _, imp := range imports {
			fmt.Fprintf(&b, "\t%s\n", imp)
		}
		b.WriteString(")\n\n")
	}
	return b.String() + body
}

var forgeries = []forgery{
	{name: "fake pass lines from a package variable, then os.Exit(0)",
		code:    goFile([]string{`"fmt"`, `"os"`}, fmt.Sprintf("var _ = fake()\n\nfunc fake() int {\n\tfmt.Print(%q)\n\tos.Exit(0)\n\treturn 0\n}\n\n// F is wrong.\nfunc F() int { return 2 }\n", fakeRun)),
		refused: `imports "os"`},
	{name: "fake pass lines, then the real tests fail",
		code: goFile([]string{`"fmt"`}, fmt.Sprintf("var _, _ = fmt.Print(%q)\n\n// F is wrong.\nfunc F() int { return 2 }\n", fakeRun))},
	{name: "os.Exit(0) from init",
		code:    goFile([]string{`"fmt"`, `"os"`}, fmt.Sprintf("func init() {\n\tfmt.Print(%q)\n\tos.Exit(0)\n}\n\n// F is wrong.\nfunc F() int { return 2 }\n", fakeRun)),
		refused: "declares func init"},
	{name: "syscall.Exit(0)",
		code:    goFile([]string{`"fmt"`, `"syscall"`}, fmt.Sprintf("var _ = fake()\n\nfunc fake() int {\n\tfmt.Print(%q)\n\tsyscall.Exit(0)\n\treturn 0\n}\n\n// F is wrong.\nfunc F() int { return 2 }\n", fakeRun)),
		refused: `imports "syscall"`},
	{name: "//go:linkname to the runtime's exit",
		code:    goFile([]string{`"fmt"`, `_ "unsafe"`}, fmt.Sprintf("//go:linkname exit runtime.exit\nfunc exit(code int32)\n\nvar _ = fake()\n\nfunc fake() int {\n\tfmt.Print(%q)\n\texit(0)\n\treturn 0\n}\n\n// F is wrong.\nfunc F() int { return 2 }\n", fakeRun)),
		refused: "//go:linkname"},
	{name: "a goroutine that exits 0 mid-test",
		code:    goFile([]string{`"fmt"`, `"syscall"`}, fmt.Sprintf("// F is wrong, and ends the test binary while a test waits on it.\nfunc F() int {\n\tgo func() {\n\t\tfmt.Print(%q)\n\t\tsyscall.Exit(0)\n\t}()\n\tselect {}\n}\n", "\n"+fakeRun)),
		refused: `imports "syscall"`},
	{name: "a forged seal line printed during a test",
		code:   goFile([]string{`"fmt"`}, fmt.Sprintf("// F is wrong, and prints a seal.\nfunc F() int {\n\tfmt.Print(%q)\n\treturn 2\n}\n", "\n"+sealPrefix+"0123456789abcdef 0 TestF=pass TestFTwice=pass\n")),
		forged: true},
	{name: "the nonce read from the environment, a seal forged with it",
		code: goFile([]string{`"fmt"`, `"os"`}, fmt.Sprintf("var _ = fake()\n\nfunc fake() int {\n\tfmt.Print(%q + os.Getenv(%q) + %q)\n\tos.Exit(0)\n\treturn 0\n}\n\n// F is wrong.\nfunc F() int { return 2 }\n",
			fakeRun+sealPrefix, sealEnv, " 0 TestF=pass TestFTwice=pass\n")),
		refused: `imports "os"`, sealOnly: true},
	{name: "a seal forged with the nonce, then a crash",
		code: goFile([]string{`"fmt"`, `"os"`}, fmt.Sprintf("var _ = fake()\n\nfunc fake() int {\n\tfmt.Print(%q + os.Getenv(%q) + %q)\n\tpanic(\"bye\")\n}\n\n// F is wrong.\nfunc F() int { return 2 }\n",
			fakeRun+sealPrefix, sealEnv, " 0 TestF=pass TestFTwice=pass\n")),
		refused: `imports "os"`},
	{name: "legit: a right answer that writes to stdout during a test, fake lines and half a line too",
		code:     goFile([]string{`"fmt"`}, "// F returns 1, and talks.\nfunc F() int {\n\tfmt.Print(\"--- FAIL: TestF (0.00s)\\nFAIL\\nhalf a line\")\n\treturn 1\n}\n"),
		sealOnly: true},
}

// TestForgedOutputIsNotBelieved grades each forgery as the grader does:
// the static check refuses what it can see, and the seal the rest.
func TestForgedOutputIsNotBelieved(t *testing.T) {
	wb := workbook(t)
	for _, f := range forgeries {
		t.Run(f.name, func(t *testing.T) {
			src := t.TempDir()
			write(t, src, map[string]string{"01-a/f.go": f.code})
			g, err := gradeOne(t.Context(), wb, src, fixture, []string{"01-a"}, false, 20*time.Second)
			require.NoError(t, err)
			r := g.Exercises[0]
			legit := strings.HasPrefix(f.name, "legit")
			assert.Equal(t, legit, r.Passed, "%+v", r)
			switch {
			case f.refused != "":
				assert.Contains(t, r.Tampered, f.refused, "refused, and why")
				assert.False(t, r.Sealed, "a refused exercise is not run")
				assert.Equal(t, []string{"TestF", "TestFTwice"}, r.Missing)
			case f.forged:
				assert.Contains(t, r.Tampered, "forged grader seal")
			default:
				assert.Empty(t, r.Tampered)
			}
		})
	}
}

// TestTheSealAlone grades each forgery with the static check skipped: the
// seal alone refuses every one but the legit answer, and the one that
// reads the run's nonce from the environment. That one is what the
// static check is for (no exercise needs package os), and what the
// course plan says a determined cheater can still do.
func TestTheSealAlone(t *testing.T) {
	wb := workbook(t)
	for _, f := range forgeries {
		t.Run(f.name, func(t *testing.T) {
			src := t.TempDir()
			write(t, src, map[string]string{"01-a/f.go": f.code})
			s, err := readSubmission(src, []string{"01-a"})
			require.NoError(t, err)
			sl := newSeal()
			dir, want, err := prepare(wb, []string{"01-a"}, s, sl)
			require.NoError(t, err)
			defer os.RemoveAll(filepath.Dir(dir))
			results, err := runTests(t.Context(), dir, []string{"01-a"}, want, nil, false, 20*time.Second, s, sl)
			require.NoError(t, err)
			r := results[0]
			t.Logf("passed %v, sealed %v, missing %v, note %q, tampered %q", r.Passed, r.Sealed, r.Missing, r.Note, r.Tampered)
			assert.Equal(t, f.sealOnly, r.Passed, "%+v", r)
			if f.forged {
				assert.Contains(t, r.Tampered, "forged grader seal")
			}
			if !r.Passed {
				assert.True(t, len(r.Missing) > 0 || r.Note != "", "the tests not sealed as passed are named, or the note says why")
			}
		})
	}
}

// TestTheSealIsTheWorkbooksTests: the sealed copy runs the workbook's
// tests under their own names, at their own lines, and nothing names the
// random part a submission would need.
func TestTheSealIsTheWorkbooksTests(t *testing.T) {
	wb := workbook(t)
	s := &submission{files: map[string]map[string][]byte{}}
	a, b := newSeal(), newSeal()
	assert.NotEqual(t, a, b, "each run has its own secrets")
	dir, want, err := prepare(wb, []string{"01-a"}, s, a)
	require.NoError(t, err)
	defer os.RemoveAll(filepath.Dir(dir))
	assert.Equal(t, map[string][]string{"01-a": {"TestF", "TestFTwice"}}, want)
	pristine, err := os.ReadFile(filepath.Join(wb, "01-a", "f_test.go"))
	require.NoError(t, err)
	sealed, err := os.ReadFile(filepath.Join(dir, "01-a", "f_test.go"))
	require.NoError(t, err)
	assert.Equal(t, strings.Count(string(pristine), "\n"), strings.Count(string(sealed), "\n"), "every line where it was")
	assert.Equal(t, string(pristine), strings.ReplaceAll(string(sealed), a.hidden(""), ""), "only the tests' names changed")
	assert.NotContains(t, string(sealed), a.nonce, "the nonce is in no file")
	gen, err := os.ReadFile(filepath.Join(dir, "01-a", sealFile))
	require.NoError(t, err)
	assert.NotContains(t, string(gen), a.nonce, "the nonce is in no file")
	assert.Contains(t, string(gen), "func TestFTwice(t *testing"+a.id+".T)")
}

// TestJudge reads seal lines as the grader does.
func TestJudge(t *testing.T) {
	sl := seal{id: "x", nonce: "n1"}
	for _, tc := range []struct {
		name  string
		lines []string
		want  verdict
	}{
		{"none", nil, verdict{}},
		{"one", []string{sealPrefix + "n1 0 TestA=pass TestB=fail"}, verdict{sealed: true, outcomes: map[string]string{"TestA": "pass", "TestB": "fail"}}},
		{"a status", []string{sealPrefix + "n1 1 TestA=fail"}, verdict{sealed: true, status: 1, outcomes: map[string]string{"TestA": "fail"}}},
		{"another nonce", []string{sealPrefix + "n2 0 TestA=pass", sealPrefix + "n1 1 TestA=fail"}, verdict{sealed: true, status: 1, outcomes: map[string]string{"TestA": "fail"}, forged: 1}},
		{"two with the nonce", []string{sealPrefix + "n1 0 TestA=pass", sealPrefix + "n1 0 TestA=pass"}, verdict{forged: 2}},
		{"no status", []string{sealPrefix + "n1"}, verdict{forged: 1}},
		{"a bad status", []string{sealPrefix + "n1 ok TestA=pass"}, verdict{forged: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, sl.judge(tc.lines))
		})
	}
}

// TestSealLines: a seal line is found however the output is cut into
// events, only at the start of a line, and a flood cannot make the
// grader keep it.
func TestSealLines(t *testing.T) {
	var l sealLines
	for _, piece := range []string{"noise ", sealPrefix + "not at a line's start\n", "\n" + sealPrefix[:3], sealPrefix[3:] + "n 0 T=pass", "\nmore\n"} {
		l.write(piece)
	}
	assert.Equal(t, []string{sealPrefix + "n 0 T=pass"}, l.lines)
	l.write(strings.Repeat("x", 10*maxLine))
	assert.LessOrEqual(t, len(l.partial), maxLine, "an endless line is not kept")
	l.write(sealPrefix + "cut\n")
	assert.Len(t, l.lines, 1, "the tail of a long line is not a line's start")
}

// TestTheTableShowsTampering: a tampered exercise is marked, and why.
func TestTheTableShowsTampering(t *testing.T) {
	g := []Grade{{Submission: "eve", Total: 1, Exercises: []Result{{Exercise: "01-a", Submitted: true, Tampered: "refused before testing: f.go:3 imports \"os\""}}}}
	md := summary([]string{"01-a"}, g)
	assert.Contains(t, md, "| eve | ✗! | 0 of 1 |")
	assert.Contains(t, md, "eve: 01-a tampered: refused before testing: f.go:3 imports \"os\"")
}
