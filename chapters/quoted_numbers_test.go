package chapters

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quotedNumbers are numbers that a chapter's sentence quotes from a
// recording it shows: recorded again with -update, the listing changes and
// the sentence must change with it. Each number is written as the chapter
// writes it (with commas) and as the recording prints it.
var quotedNumbers = []struct {
	chapter, golden, quoted, recorded string
}{
	{"http2.md", "h2-bench.txt", "23,060 bytes (22.5 KiB)", "23060 B/conn"},
	{"http2.md", "h2-bench.txt", "against 4,039 (3.9 KiB)", "4039 B/conn"},
}

// TestQuotedNumbersAreRecorded: every number a sentence quotes from a
// recording is in that recording.
func TestQuotedNumbersAreRecorded(t *testing.T) {
	for _, q := range quotedNumbers {
		chapter, err := os.ReadFile(q.chapter)
		require.NoError(t, err)
		golden, err := os.ReadFile(filepath.Join(outputsDir, q.golden))
		require.NoError(t, err)
		assert.Contains(t, strings.Join(strings.Fields(string(chapter)), " "), q.quoted, q.chapter)
		assert.Contains(t, strings.Join(strings.Fields(string(golden)), " "), q.recorded,
			"%s quotes %q from %s: record it again and change the sentence too", q.chapter, q.quoted, q.golden)
	}
}
