package chapters

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mdInclude finds the Markdown files a chapter includes (generated
// tables: perf's results, the conformance reports).
var mdInclude = regexp.MustCompile(`\{\{#include ([^}:]+\.md)(:[^}]*)?\}\}`)

// TestTablesHaveTheirHeadersColumns: every row of every table in a chapter,
// and in the Markdown files chapters include, has as many cells as the
// table's header. mdBook says nothing about a row with one cell too many:
// it drops the cell, and the numbers slide under the wrong headings (as in
// a hand-typed Autobahn table that had lost its "how many" heading).
func TestTablesHaveTheirHeadersColumns(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	files := map[string]bool{}
	for _, ch := range chapters {
		files[ch] = true
		text, err := os.ReadFile(ch)
		require.NoError(t, err)
		for _, m := range mdInclude.FindAllStringSubmatch(string(text), -1) {
			files[filepath.Join(filepath.Dir(ch), m[1])] = true
		}
	}
	for f := range files {
		text, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, bad := range misshapenRows(string(text)) {
			assert.Fail(t, "a table row with the wrong number of cells", "%s:%s", f, bad)
		}
	}
}

// misshapenRows returns, as "line: got N cells, the header has M", every
// table row outside code fences whose cell count differs from its header's.
func misshapenRows(text string) []string {
	var bad []string
	fenced, header := false, 0
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(l, "|") || !strings.HasSuffix(l, "|") || len(l) < 2 {
			header = 0
			continue
		}
		n := cells(l)
		switch {
		case header == 0:
			header = n
		case n != header:
			bad = append(bad, fmt.Sprintf("%d: got %d cells, the header has %d", i+1, n, header))
		}
	}
	return bad
}

// cells counts a row's cells: the pipes between its outer two, not
// counting escaped ones (\|) or those inside `code`.
func cells(row string) int {
	n, code := 0, false
	inner := row[1 : len(row)-1]
	for i := 0; i < len(inner); i++ {
		switch inner[i] {
		case '\\':
			i++
		case '`':
			code = !code
		case '|':
			if !code {
				n++
			}
		}
	}
	return n + 1
}

// TestMisshapenRows: the checker finds a row with a cell too many and one
// too few, and passes escaped pipes, pipes in code, and two tables one
// after the other.
func TestMisshapenRows(t *testing.T) {
	text := "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 1 | 2 | 3 |\n| 1 |\n\n" +
		"| x \\| y | `a|b` |\n| --- | --- |\n\n| one |\n| --- |\n| 1 |\n" +
		"```\n| not | a | table |\n```\n"
	assert.Equal(t, []string{"4: got 3 cells, the header has 2", "5: got 1 cells, the header has 2"},
		misshapenRows(text))
}
