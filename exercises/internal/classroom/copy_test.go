package classroom

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheListIsTheRunners: the runner (check, handed out alone) finds the
// exercises by the same rule as the handout and the grader.
func TestTheListIsTheRunners(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "check", "exercises.go"))
	require.NoError(t, err)
	rule := regexp.MustCompile("regexp.MustCompile\\(`([^`]*)`\\)").FindSubmatch(src)
	require.NotNil(t, rule, "check/exercises.go names its rule with regexp.MustCompile")
	assert.Equal(t, exerciseDir.String(), string(rule[1]))
}

func TestSelect(t *testing.T) {
	all := []string{"01-accept-key", "02-validate", "03-write-101", "12-broadcast-hub"}
	cases := []struct {
		only, err string
		want      []string
	}{
		{"", "", all},
		{"01,02", "", all[:2]},
		{"3, 1", "", []string{"01-accept-key", "03-write-101"}},
		{"hub,accept-key", "", []string{"01-accept-key", "12-broadcast-hub"}},
		{"99", "no exercise \"99\"", nil},
		{"0", "could be", nil},
		{",", "names no exercise", nil},
	}
	for _, tc := range cases {
		t.Run(tc.only, func(t *testing.T) {
			got, err := Select(all, tc.only)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestExercisesSkipsWhatIsNotOne(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"02-b", "01-a", "check", "handout", "notes", "3-x"} {
		require.NoError(t, os.Mkdir(filepath.Join(root, d), 0o755))
	}
	got, err := Exercises(root)
	require.NoError(t, err)
	assert.Equal(t, []string{"01-a", "02-b"}, got)
	_, err = Exercises(t.TempDir())
	assert.ErrorContains(t, err, "no exercises")
}

func TestDropRows(t *testing.T) {
	md := "| # | x |\n| 1 | [a](01-a/README.md) |\n| 2 | [b](02-b/README.md) |\nend\n"
	assert.Equal(t, "| # | x |\n| 1 | [a](01-a/README.md) |\nend\n", dropRows(md, []string{"02-b"}))
	assert.Equal(t, md, dropRows(md, nil))
}

func TestRelink(t *testing.T) {
	cases := []struct {
		name, dir, md, book, want, err string
	}{
		{"a chapter, to the published book", "01-a", "[Frames](../../chapters/frames.md).", "https://b.example/", "[Frames](https://b.example/frames.html).", ""},
		{"with a section", "01-a", "[x](../../chapters/frames.md#masking)", "https://b.example", "[x](https://b.example/frames.html#masking)", ""},
		{"GitHub sources keep .md", "01-a", "[x](../../chapters/frames.md)", DefaultBook, "[x](" + DefaultBook + "frames.md)", ""},
		{"inside the exercises", ".", "[one](01-a/README.md)", "https://b.example/", "[one](01-a/README.md)", ""},
		{"already absolute", "01-a", "[RFC](https://www.rfc-editor.org/rfc/rfc6455)", "https://b.example/", "[RFC](https://www.rfc-editor.org/rfc/rfc6455)", ""},
		{"elsewhere in the repository", "01-a", "[code](../../handshake/accept.go)", "https://b.example/", "", "not chapters of the book: ../../handshake/accept.go"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Relink(tc.md, tc.dir, tc.book)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestStripConstraint(t *testing.T) {
	in := "//go:build !solution && !mutant\n\npackage a\n\n// ANCHOR: stub\n\n// F is f.\nfunc F() {}\n\n// ANCHOR_END: stub\n"
	assert.Equal(t, "package a\n\n// F is f.\nfunc F() {}\n", StripConstraint(in))
	plain := "package a\n\ntype T int\n"
	assert.Equal(t, plain, StripConstraint(plain), "a file without constraint or anchors is copied as it is")
}

// TestCount: the README counts what was handed out, in its first sentence
// and in the runner's summary line.
func TestCount(t *testing.T) {
	md := "# Exercises\n\nSeventeen classroom exercises for the workbook, in order.\n\nIt counts: `3 of 17 solved`.\n"
	for _, tc := range []struct {
		n    int
		want string
	}{
		{17, md},
		{2, "# Exercises\n\nTwo classroom exercises for the workbook, in order.\n\nIt counts: `2 of 2 solved`.\n"},
		{1, "# Exercises\n\nOne classroom exercise for the workbook, in order.\n\nIt counts: `1 of 1 solved`.\n"},
		{4, "# Exercises\n\nFour classroom exercises for the workbook, in order.\n\nIt counts: `3 of 4 solved`.\n"},
		{21, "# Exercises\n\n21 classroom exercises for the workbook, in order.\n\nIt counts: `3 of 21 solved`.\n"},
	} {
		assert.Equal(t, tc.want, Count(md, tc.n), "%d", tc.n)
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^Seventeen classroom exercises `, string(readme), "the README's first sentence is the one Count rewrites")
	assert.Contains(t, string(readme), "`3 of 17 solved`", "and its summary line")
}
