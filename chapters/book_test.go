package chapters

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestEveryIncludeResolves reads every chapter that SUMMARY.md lists and
// resolves every include in it, as mdBook will: a missing file, a missing,
// unmatched or empty anchor, a bad line range, or an anchor marker that
// would leak into the book fails the test. So does a relative link or
// image to a file that does not exist.
func TestEveryIncludeResolves(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	require.NotEmpty(t, chapters)
	total := 0
	for _, ch := range chapters {
		t.Run(ch, func(t *testing.T) {
			data, err := os.ReadFile(ch)
			require.NoError(t, err, "SUMMARY.md lists %s", ch)
			for _, inc := range Includes(ch, string(data)) {
				total++
				_, err := Resolve(inc)
				assert.NoError(t, err)
			}
			assert.Empty(t, BrokenLinks(ch, string(data)), "links to files that do not exist")
			assert.Contains(t, string(data), "## Run it", "every chapter ends with Run it and Test it")
			assert.Contains(t, string(data), "## Test it", "every chapter ends with Run it and Test it")
		})
	}
	t.Logf("%d chapters, %d includes", len(chapters), total)
}

// TestEveryChapterIsListed: a Markdown file in chapters/ that SUMMARY.md
// does not list would never be built.
func TestEveryChapterIsListed(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	listed := map[string]bool{"SUMMARY.md": true}
	for _, ch := range chapters {
		listed[filepath.Clean(ch)] = true
	}
	files, err := filepath.Glob("*.md")
	require.NoError(t, err)
	for _, f := range files {
		assert.True(t, listed[f], "%s is not in SUMMARY.md", f)
	}
}

// TestResolve checks the resolver itself against small files.
func TestResolve(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("code.go", "package x\n// ANCHOR: hello\nfunc Hello() {}\n// ANCHOR: inner\nvar x = 1\n// ANCHOR_END: inner\n// ANCHOR_END: hello\n// ANCHOR: empty\n// ANCHOR_END: empty\n// ANCHOR: open\nvar y = 2\n// ANCHOR: twice\n// ANCHOR: twice\n// ANCHOR_END: twice\n// ANCHOR_END: backwards\n// ANCHOR: backwards\n")
	write("plain.txt", "one\ntwo\nthree\n")
	chapter := filepath.Join(dir, "chapter.md")

	cases := []struct {
		target string
		want   string // "" means an error is expected
		err    string
	}{
		{"plain.txt", "one\ntwo\nthree", ""},
		{"plain.txt:2", "two", ""},
		{"plain.txt:2:3", "two\nthree", ""},
		{"plain.txt:2:", "two\nthree", ""},
		{"plain.txt::2", "one\ntwo", ""},
		{"plain.txt:3:9", "", "outside"},
		{"code.go:hello", "func Hello() {}\nvar x = 1", ""},
		{"code.go:inner", "var x = 1", ""},
		{"code.go:missing", "", "no ANCHOR"},
		{"code.go:empty", "", "includes nothing"},
		{"code.go:open", "", "no ANCHOR_END"},
		{"code.go:twice", "", "starts twice"},
		{"code.go:backwards", "", "before"},
		{"code.go", "", "ANCHOR marker"},
		{"nothere.go:x", "", "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			got, err := Resolve(Include{Chapter: chapter, Target: tc.target})
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestIncludesAndLinks(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "there.svg"), nil, 0o644))
	chapter := filepath.Join(dir, "c.md")
	text := "{{#include ../a.go:x}}\n{{#rustdoc_include b.rs}}\n{{#playground c.rs}}\n" +
		"![fig](there.svg) [gone](gone.md) [web](https://example.com) [anchor](#top) [part](there.svg#frag)"
	var targets []string
	for _, inc := range Includes(chapter, text) {
		targets = append(targets, inc.Target)
	}
	assert.Equal(t, []string{"../a.go:x", "b.rs", "c.rs"}, targets)
	assert.Equal(t, []string{"gone.md"}, BrokenLinks(chapter, text))
}

// mdbookPath finds mdBook 0.4.4: installed by `npm ci` at the top of the
// repository, or on PATH.
func mdbookPath() string {
	if p, err := filepath.Abs("../node_modules/.bin/mdbook"); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("mdbook"); err == nil {
		return p
	}
	return ""
}

// TestBookBuilds builds the book with the real mdBook into a temporary
// folder and fails on any warning or error it prints.
func TestBookBuilds(t *testing.T) {
	mdbook := mdbookPath()
	webtest.RequireTool(t, mdbook != "", "mdBook 0.4.4", "npm ci (at the top of the repository)")
	info, err := os.Stat(mdbook)
	require.NoError(t, err)
	require.NotZero(t, info.Size(), "%s is an empty file: `npm ci --ignore-scripts` skips cargo-mdbook's postinstall, "+
		"which puts the binary for this system there; run `npm ci` without --ignore-scripts", mdbook)
	version, err := exec.Command(mdbook, "--version").Output()
	require.NoError(t, err)
	require.Contains(t, string(version), "v0.4.4")

	cmd := exec.Command(mdbook, "build", "-d", t.TempDir())
	cmd.Dir = ".."
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), "mdbook build:\n%s", out.String())
	for _, line := range strings.Split(out.String(), "\n") {
		assert.NotContains(t, line, "WARN", "mdbook build printed a warning")
		assert.NotContains(t, line, "ERROR", "mdbook build printed an error")
	}
}

// TestBuiltBookIsInvisibleToGo: mdBook copies the chapters' .go files into
// its build folder. Go must not see that folder, or `go test ./...` after
// `npx mdbook build` fails on a package with no SUMMARY.md.
func TestBuiltBookIsInvisibleToGo(t *testing.T) {
	toml, err := os.ReadFile("../book.toml")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^build-dir\s*=\s*"([^"]+)"`).FindSubmatch(toml)
	require.NotNil(t, m, "book.toml sets build-dir")
	dir := filepath.Base(string(m[1]))
	assert.True(t, strings.HasPrefix(dir, "_") || strings.HasPrefix(dir, "."),
		"build-dir %q: the go command ignores only folders whose names start with _ or .", m[1])
}
