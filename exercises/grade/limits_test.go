package main

import (
	"archive/tar"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestArchiveLimits: a submission cannot make the grader read without
// bound: a Go file over 1 MiB is ignored, not read; an archive of more
// than 10,000 entries, or of more than 32 MiB of Go files, is refused.
func TestArchiveLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.tar.gz")
	tarGz(t, big, []tar.Header{{Name: "01-a/huge.go"}, {Name: "01-a/f.go"}}, []string{strings.Repeat("x", maxFile+1), solvedF})
	s, err := readSubmission(big, []string{"01-a"})
	require.NoError(t, err)
	assert.Equal(t, []Ignored{{Path: "01-a/huge.go", Why: "larger than 1 MiB", rel: "01-a/huge.go"}}, s.ignored)
	assert.Equal(t, solvedF, string(s.files["01-a"]["f.go"]))

	many := filepath.Join(dir, "many.tar.gz")
	var headers []tar.Header
	var bodies []string
	for i := range maxEntries + 1 {
		headers = append(headers, tar.Header{Name: "01-a/x" + strconv.Itoa(i) + ".md"})
		bodies = append(bodies, "")
	}
	tarGz(t, many, headers, bodies)
	_, err = readSubmission(many, []string{"01-a"})
	assert.ErrorContains(t, err, "more than 10000 entries")

	heavy := filepath.Join(dir, "heavy.tar.gz")
	headers, bodies = nil, nil
	for i := range maxTotal/maxFile + 1 {
		headers = append(headers, tar.Header{Name: "01-a/f" + strconv.Itoa(i) + ".go"})
		bodies = append(bodies, strings.Repeat("x", maxFile))
	}
	tarGz(t, heavy, headers, bodies)
	_, err = readSubmission(heavy, []string{"01-a"})
	assert.ErrorContains(t, err, "more than 32 MiB")
}
