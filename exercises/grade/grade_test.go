package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// write writes files (path → text) under root.
func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
}

// Go files of the fixture workbook's two exercises. 01-a: F returns 1.
// 02-b: G returns 1, and its test runs it beside another goroutine, so a
// data race in G is caught by -race only.
const (
	stubF   = "//go:build !solution && !mutant\n\npackage a\n\n// F returns 1.\nfunc F() int { return 0 }\n"
	solvedF = "package a\n\n// F returns 1.\nfunc F() int { return 1 }\n"
	wrongF  = "package a\n\n// F returns 1.\nfunc F() int { return 2 }\n"
	testF   = "package a\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) {\n\tif F() != 1 {\n\t\tt.Fatal(\"F must return 1\")\n\t}\n}\n\nfunc TestFTwice(t *testing.T) {\n\tfor _, n := range []int{1, 2} {\n\t\tt.Run(string(rune('0'+n)), func(t *testing.T) {\n\t\t\tif F() != 1 {\n\t\t\t\tt.Fatal(\"again\")\n\t\t\t}\n\t\t})\n\t}\n}\n"
	stubG   = "//go:build !solution && !mutant\n\npackage b\n\n// G returns 1.\nfunc G() int { return 0 }\n"
	solvedG = "package b\n\n// G returns 1.\nfunc G() int { return 1 }\n"
	racyG   = "package b\n\nvar x int\n\n// G returns 1, and races on x.\nfunc G() int {\n\tdone := make(chan bool)\n\tgo func() { x = 1; done <- true }()\n\tx = 2\n\t<-done\n\treturn 1\n}\n"
	testG   = "package b\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestG(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() {})\n\twg.Wait()\n\tif G() != 1 {\n\t\tt.Fatal(\"G must return 1\")\n\t}\n}\n"
)

// workbook writes a fixture workbook: two exercises with stubs,
// solutions and tests, a runner and the instructors' files.
func workbook(t *testing.T) string {
	root := t.TempDir()
	write(t, root, map[string]string{
		"go.mod":              "module example.com/wb\n\ngo 1.26\n",
		"README.md":           "# Exercises\n\n- [a](01-a/README.md)\n- [b](02-b/README.md)\n",
		"INSTRUCTORS.md":      "for instructors\n",
		"check/main.go":       "package main\n\nfunc main() {}\n",
		"01-a/README.md":      "F\n",
		"01-a/f.go":           stubF,
		"01-a/f_solution.go":  "//go:build solution && !mutant\n\n" + solvedF,
		"01-a/f_test.go":      testF,
		"01-a/mutants/two.go": "//go:build mutant && mutant_two\n\n" + wrongF,
		"02-b/README.md":      "G\n",
		"02-b/g.go":           stubG,
		"02-b/g_solution.go":  "//go:build solution && !mutant\n\n" + solvedG,
		"02-b/g_test.go":      testG,
		"grade/main.go":       "package main\n\nfunc main() {}\n",
		"internal/x/x.go":     "package x\n",
	})
	return root
}

// tarGz writes a .tar.gz of the given headers and bodies.
func tarGz(t *testing.T, path string, entries []tar.Header, bodies []string) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for i, h := range entries {
		h.Size = int64(len(bodies[i]))
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		h.Mode = 0o644
		require.NoError(t, tw.WriteHeader(&h))
		if h.Typeflag == tar.TypeReg {
			_, err := tw.Write([]byte(bodies[i]))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

// TestGradeCannotBeFaked grades one fixture submission per kind of
// tampering, and a solved and a half-solved one: only what the student
// wrote in the exercises' non-test files counts.
func TestGradeCannotBeFaked(t *testing.T) {
	wb := workbook(t)
	race := raceWorks()
	testMainExits := "package a\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestMain(m *testing.M) { os.Exit(0) }\n"
	cases := []struct {
		name    string
		files   map[string]string // a folder submission
		links   map[string]string // and its symlinks: name → target
		archive func(t *testing.T, dir string) string
		want    map[string]bool // exercise → passed
		ignored string          // a file the grade must list as ignored
		missing string          // a test that must be reported as not passing
		race    bool            // needs the race detector
	}{
		{name: "solved", files: map[string]string{"01-a/f.go": solvedF, "02-b/g.go": solvedG}, want: map[string]bool{"01-a": true, "02-b": true}},
		{name: "half solved", files: map[string]string{"01-a/f.go": solvedF}, want: map[string]bool{"01-a": true, "02-b": false}},
		{name: "helper files of the student's own count", files: map[string]string{"01-a/f.go": "package a\n\n// F returns 1.\nfunc F() int { return one() }\n", "01-a/one.go": "package a\n\nfunc one() int { return 1 }\n"}, want: map[string]bool{"01-a": true, "02-b": false}},
		{name: "a data race fails under -race", files: map[string]string{"01-a/f.go": solvedF, "02-b/g.go": racyG}, want: map[string]bool{"01-a": true, "02-b": false}, race: true},
		{name: "an edited test", files: map[string]string{"01-a/f.go": wrongF, "01-a/f_test.go": "package a\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) {}\n\nfunc TestFTwice(t *testing.T) {}\n"},
			want: map[string]bool{"01-a": false}, ignored: "01-a/f_test.go"},
		{name: "an extra test file with a TestMain", files: map[string]string{"01-a/f.go": wrongF, "01-a/zz_test.go": testMainExits},
			want: map[string]bool{"01-a": false}, ignored: "01-a/zz_test.go"},
		{name: "a TestMain in a non-test file", files: map[string]string{"01-a/f.go": wrongF, "01-a/main.go": strings.Replace(testMainExits, "package a", "package a\n\n// TestMain is not run from here.", 1)},
			want: map[string]bool{"01-a": false}},
		{name: "an init that exits before the tests", files: map[string]string{"01-a/f.go": wrongF + "\nfunc init() { os.Exit(0) }\n"},
			want: map[string]bool{"01-a": false}},
		{name: "an init that skips every test", files: map[string]string{"01-a/f.go": strings.Replace(wrongF, "package a\n", "package a\n\nimport (\n\t\"flag\"\n\t\"testing\"\n)\n\nfunc init() {\n\ttesting.Init()\n\t_ = flag.Set(\"test.run\", \"^$\")\n}\n", 1)},
			want: map[string]bool{"01-a": false}, missing: "TestF"},
		{name: "an edited runner", files: map[string]string{"01-a/f.go": wrongF, "check/main.go": "package main\n\nfunc main() { println(\"everything solved\") }\n"},
			want: map[string]bool{"01-a": false}, ignored: "check/main.go"},
		{name: "a changed go.mod", files: map[string]string{"01-a/f.go": wrongF, "go.mod": "module example.com/wb\n\ngo 1.26\n\nreplace example.com/wb => ./elsewhere\n"},
			want: map[string]bool{"01-a": false}, ignored: "go.mod"},
		{name: "files outside the exercises", files: map[string]string{"01-a/f.go": wrongF, "f.go": solvedF, "01-a/sub/f.go": solvedF, "notes/f.go": solvedF},
			want: map[string]bool{"01-a": false}, ignored: "notes/f.go"},
		{name: "a link to the solution", links: map[string]string{"01-a/f.go": filepath.Join(wb, "01-a", "f_solution.go")},
			want: map[string]bool{"01-a": false}, ignored: "01-a/f.go"},
		{name: "an endless loop meets the time limit", files: map[string]string{"01-a/f.go": "package a\n\n// F never returns.\nfunc F() int {\n\tfor {\n\t}\n}\n"},
			want: map[string]bool{"01-a": false}, missing: "TestF"},
		{name: "an archive that climbs out, and links", archive: func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "submission-eve.tar.gz")
			tarGz(t, p, []tar.Header{
				{Name: "../../escaped.go"}, {Name: "/tmp/abs.go"}, {Name: "01-a/f.go", Typeflag: tar.TypeSymlink, Linkname: filepath.Join(wb, "01-a", "f_solution.go")},
				{Name: "01-a/g.go", Typeflag: tar.TypeLink, Linkname: "../../x"}, {Name: "01-a/h.go"},
			}, []string{solvedF, solvedF, "", "", wrongF})
			return p
		}, want: map[string]bool{"01-a": false}, ignored: "../../escaped.go"},
		{name: "a zip of a folder zipped by hand", archive: func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "bob.zip")
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			f, err := zw.Create("class-exercises/01-a/f.go")
			require.NoError(t, err)
			_, err = f.Write([]byte(solvedF))
			require.NoError(t, err)
			require.NoError(t, zw.Close())
			require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
			return p
		}, want: map[string]bool{"01-a": true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.race && !race {
				t.Skip("the race detector needs cgo, which is off here")
			}
			dir := t.TempDir()
			src := filepath.Join(dir, "student")
			if tc.archive != nil {
				src = tc.archive(t, dir)
			} else {
				require.NoError(t, os.Mkdir(src, 0o755))
				write(t, src, tc.files)
				for name, target := range tc.links {
					require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755))
					require.NoError(t, os.Symlink(target, filepath.Join(src, name)))
				}
			}
			var exercises []string
			for ex := range tc.want {
				exercises = append(exercises, ex)
			}
			if len(exercises) == 2 {
				exercises = []string{"01-a", "02-b"}
			}
			start := time.Now()
			g, err := gradeOne(t.Context(), wb, src, fixture, exercises, race, 3*time.Second)
			require.NoError(t, err)
			t.Logf("graded in %v", time.Since(start).Round(time.Millisecond))
			for _, r := range g.Exercises {
				assert.Equal(t, tc.want[r.Exercise], r.Passed, "%s: %+v", r.Exercise, r)
				if !r.Passed {
					assert.True(t, len(r.Failed) > 0 || len(r.Missing) > 0, "a failure names its tests: %+v", r)
				}
			}
			if tc.ignored != "" {
				var paths []string
				for _, ig := range g.Ignored {
					paths = append(paths, ig.Path)
				}
				assert.Contains(t, paths, tc.ignored, "listed as ignored")
			}
			if tc.missing != "" {
				assert.Contains(t, g.Exercises[0].Missing, tc.missing)
			}
			assert.NoFileExists(t, filepath.Join(dir, "..", "escaped.go"), "nothing is written outside the grader's copy")
		})
	}
}

// TestTheTimeLimitIsKept: an exercise whose code never returns is failed
// at its time limit, not waited for.
func TestTheTimeLimitIsKept(t *testing.T) {
	wb := workbook(t)
	src := t.TempDir()
	write(t, src, map[string]string{"01-a/f.go": "package a\n\n// F never returns.\nfunc F() int {\n\tselect {}\n}\n"})
	g, err := gradeOne(t.Context(), wb, src, fixture, []string{"01-a"}, false, 2*time.Second)
	require.NoError(t, err)
	r := g.Exercises[0]
	assert.False(t, r.Passed)
	assert.Contains(t, r.Output, "test timed out after 2s", "the output says why")
	assert.Less(t, r.Seconds, 30.0, "go test stopped it at the limit")
}

// TestResultsAndSummary runs the command's whole path: results.json holds
// each submission's exercises, summary.md the class's table.
func TestResultsAndSummary(t *testing.T) {
	wb := workbook(t)
	subs := t.TempDir()
	write(t, filepath.Join(subs, "ada"), map[string]string{"01-a/f.go": solvedF, "02-b/g.go": solvedG})
	write(t, filepath.Join(subs, "bob"), map[string]string{"01-a/f.go": wrongF, "01-a/f_test.go": "package a\n"})
	out := filepath.Join(t.TempDir(), "grades")
	var table, log bytes.Buffer
	require.NoError(t, run(t.Context(), &table, &log, options{workbook: wb, out: out, limit: 30 * time.Second,
		submissions: []string{filepath.Join(subs, "ada"), filepath.Join(subs, "bob")}}))

	data, err := os.ReadFile(filepath.Join(out, "results.json"))
	require.NoError(t, err)
	var grades []struct {
		Submission string
		Solved     int
		Total      int
		Exercises  []struct {
			Exercise string
			Passed   bool
			Failed   []string `json:"failed_tests"`
			Seconds  float64
		}
		Ignored []struct{ Path, Why string }
	}
	require.NoError(t, json.Unmarshal(data, &grades))
	require.Len(t, grades, 2)
	assert.Equal(t, "ada", grades[0].Submission)
	assert.Equal(t, 2, grades[0].Solved)
	assert.Equal(t, "bob", grades[1].Submission)
	assert.Equal(t, 0, grades[1].Solved)
	assert.Equal(t, []string{"TestF", "TestFTwice/1", "TestFTwice/2", "TestFTwice"}, grades[1].Exercises[0].Failed)
	assert.Positive(t, grades[1].Exercises[0].Seconds)
	require.Len(t, grades[1].Ignored, 1, "the edited test, and not the unchanged files")
	assert.Contains(t, grades[1].Ignored[0].Why, "differs")

	md, err := os.ReadFile(filepath.Join(out, "summary.md"))
	require.NoError(t, err)
	assert.Equal(t, string(md), table.String(), "the table printed is the one written")
	assert.Contains(t, string(md), "| submission | 01 | 02 | solved |\n|---|---|---|---|\n| ada | ✓ | ✓ | 2 of 2 |\n| bob | ✗ | · | 0 of 2 |\n| **solved by** | 1 | 1 | of 2 |\n")
	assert.Contains(t, string(md), "- `01-a/f_test.go`: a test file")
}

func TestSubmissionName(t *testing.T) {
	for in, want := range map[string]string{"x/submission-ada.tar.gz": "ada", "bob.zip": "bob", "class/carol/": "carol", "d.tgz": "d"} {
		assert.Equal(t, want, submissionName(in), in)
	}
}

func TestABadSubmissionIsAClearError(t *testing.T) {
	wb := workbook(t)
	dir := t.TempDir()
	notGzip := filepath.Join(dir, "x.tar.gz")
	require.NoError(t, os.WriteFile(notGzip, []byte("not a gzip"), 0o644))
	other := filepath.Join(dir, "x.rar")
	require.NoError(t, os.WriteFile(other, nil, 0o644))
	for src, want := range map[string]string{notGzip: "gzip", other: "a folder, a .tar.gz or a .zip", filepath.Join(dir, "none"): "no such file"} {
		_, err := gradeOne(t.Context(), wb, src, fixture, []string{"01-a"}, false, time.Second)
		assert.ErrorContains(t, err, want)
	}
}

// fixture is the fixture workbook's list of exercises.
var fixture = []string{"01-a", "02-b"}
