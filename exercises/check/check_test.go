package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleJSON = `{"Action":"start","Package":"ex/01-accept-key"}
{"Action":"run","Package":"ex/01-accept-key","Test":"TestAcceptKey"}
{"Action":"output","Package":"ex/01-accept-key","Test":"TestAcceptKey","Output":"=== RUN   TestAcceptKey\n"}
{"Action":"pass","Package":"ex/01-accept-key","Test":"TestAcceptKey"}
{"Action":"pass","Package":"ex/01-accept-key"}
{"Action":"run","Package":"ex/02-validate-handshake","Test":"TestCheckAcceptsAGoodRequest"}
{"Action":"output","Package":"ex/02-validate-handshake","Test":"TestCheckAcceptsAGoodRequest","Output":"    check_test.go:27: expected: 101 actual: 0\n"}
{"Action":"output","Package":"ex/02-validate-handshake","Test":"TestCheckAcceptsAGoodRequest/sub","Output":"    from the subtest\n"}
{"Action":"fail","Package":"ex/02-validate-handshake","Test":"TestCheckAcceptsAGoodRequest"}
{"Action":"run","Package":"ex/02-validate-handshake","Test":"TestCheckRefusals/POST"}
{"Action":"fail","Package":"ex/02-validate-handshake","Test":"TestCheckRefusals/POST"}
{"Action":"fail","Package":"ex/02-validate-handshake"}
{"ImportPath":"ex/03-write-101 [ex/03-write-101.test]","Action":"build-output","Output":"03-write-101/response.go:9:2: undefined: x\n"}
{"ImportPath":"ex/03-write-101 [ex/03-write-101.test]","Action":"build-fail"}
{"Action":"start","Package":"ex/03-write-101"}
{"Action":"output","Package":"ex/03-write-101","Output":"FAIL\tex/03-write-101 [build failed]\n"}
{"Action":"fail","Package":"ex/03-write-101"}
`

func TestParseEvents(t *testing.T) {
	got := parseEvents(strings.NewReader(sampleJSON))
	assert.True(t, got["ex/01-accept-key"].passed)
	assert.Empty(t, got["ex/01-accept-key"].failure)

	assert.False(t, got["ex/02-validate-handshake"].passed)
	assert.Contains(t, got["ex/02-validate-handshake"].failure, "expected: 101 actual: 0", "the first failing test's output")
	assert.Contains(t, got["ex/02-validate-handshake"].failure, "from the subtest", "with its subtests' output")

	assert.False(t, got["ex/03-write-101"].passed)
	assert.Contains(t, got["ex/03-write-101"].failure, "undefined: x", "a build failure shows the compiler's message")
}

func TestParseHints(t *testing.T) {
	hints := parseHints("# Hints\n\n## Step 1\nGentle.\n\n## Step 2\nNearly the answer.\n")
	require.Len(t, hints, 2)
	assert.Equal(t, "## Step 1\nGentle.", hints[0])
	assert.Equal(t, "## Step 2\nNearly the answer.", hints[1])
	assert.Empty(t, parseHints("no sections here"))
}

func TestChanged(t *testing.T) {
	t0 := time.Unix(100, 0)
	base := map[string]time.Time{"a.go": t0}
	cases := []struct {
		name  string
		after map[string]time.Time
		want  bool
	}{
		{"nothing", map[string]time.Time{"a.go": t0}, false},
		{"modified", map[string]time.Time{"a.go": t0.Add(time.Second)}, true},
		{"added", map[string]time.Time{"a.go": t0, "b.go": t0}, true},
		{"removed", map[string]time.Time{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, changed(base, tc.after)) })
	}
}

func TestReport(t *testing.T) {
	exercises := []string{"01-a", "02-b", "03-c"}
	statuses := map[string]status{"01-a": {passed: true}, "02-b": {failure: "--- FAIL: TestB\n    want 1\n"}}
	var out bytes.Buffer
	report(&out, exercises, statuses)
	s := out.String()
	assert.Contains(t, s, "✓ 01-a\n✗ 02-b\n✗ 03-c\n")
	assert.Contains(t, s, "Next: 02-b")
	assert.Contains(t, s, "want 1")
	assert.True(t, strings.HasSuffix(s, "1 of 3 solved\n"), s)
}

func TestHintsAreShownOneAtATime(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(root, "01-a"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "01-a", "HINTS.md"), []byte("## Step 1\nfirst\n## Step 2\nsecond\n"), 0o644))
	var out bytes.Buffer
	for range 3 {
		require.NoError(t, printHint(&out, root, "01-a"))
	}
	s := out.String()
	assert.Contains(t, s, "Hint 1 of 2 for 01-a:\n\n## Step 1\nfirst")
	assert.Contains(t, s, "Hint 2 of 2 for 01-a:\n\n## Step 2\nsecond")
	assert.Contains(t, s, "You have seen all 2 hints")
}

func TestFindExercises(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"02-b", "01-a", "check", "handout", "notes"} {
		require.NoError(t, os.Mkdir(filepath.Join(root, d), 0o755))
	}
	got, err := findExercises(root)
	require.NoError(t, err)
	assert.Equal(t, []string{"01-a", "02-b"}, got)
}
