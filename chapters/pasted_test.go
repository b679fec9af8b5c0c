package chapters

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stillPasted are the chapters that still show output pasted by hand, not
// included from a file a test writes, with how many such blocks each may
// have and why. The counts may only shrink: TestNoPastedOutput fails on a
// new pasted block, and on a count that is now too high.
var stillPasted = map[string]struct {
	blocks int
	why    string
}{}

// commandLine is a line the reader types, not one a program prints: a
// prompt, a comment, or one of the commands the book asks for.
var commandLine = regexp.MustCompile(`^(\$ |# |#$|go |curl |cd |npm |npx |git |[A-Z][A-Z0-9_]*=\S* )`)

// pastedOutputs returns the first line of every text block of a chapter
// that shows output (any non-empty line that is not a command) and
// includes nothing: output pasted by hand, which nothing keeps true.
func pastedOutputs(text string) []string {
	var found []string
	var block []string
	open, lang := false, ""
	for _, line := range strings.Split(text, "\n") {
		if fence, ok := strings.CutPrefix(strings.TrimSpace(line), "```"); ok {
			if !open {
				open, lang, block = true, fence, nil
				continue
			}
			open = false
			if (lang == "text" || lang == "console") && isPastedOutput(block) {
				found = append(found, block[0])
			}
			continue
		}
		if open {
			block = append(block, line)
		}
	}
	return found
}

// isPastedOutput reports whether a block's lines show output and include
// nothing.
func isPastedOutput(lines []string) bool {
	output := false
	for _, l := range lines {
		if includeRE.MatchString(l) {
			return false
		}
		if strings.TrimSpace(l) != "" && !commandLine.MatchString(l) {
			output = true
		}
	}
	return output
}

// TestNoPastedOutput: every output a chapter shows is included from a file
// that a test writes by running the real command (TestRecordedOutputs, or
// a package's own golden test), beyond the blocks stillPasted allows.
func TestNoPastedOutput(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	for _, ch := range chapters {
		data, err := os.ReadFile(ch)
		require.NoError(t, err)
		found := pastedOutputs(string(data))
		allowed := stillPasted[ch].blocks
		assert.LessOrEqual(t, len(found), allowed,
			"%s shows output pasted by hand (blocks starting %q): record it with a test that runs the command, "+
				"and include the file it writes", ch, found)
		if allowed > 0 {
			assert.GreaterOrEqual(t, len(found), allowed,
				"%s now has %d pasted output blocks: lower its count in stillPasted to %d", ch, len(found), len(found))
		}
	}
}

// TestPastedOutputs checks the rule on small blocks.
func TestPastedOutputs(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"commands only", "```text\n$ go run ./echo-xnet\n# then open the page\ngo test ./...\n```\n", nil},
		{"a prompt and its output", "```text\n$ go run ./check\n✓ 01-long-poll\n```\n", []string{"$ go run ./check"}},
		{"output", "```text\nok  \tgithub.com/x\t1.2s\n```\n", []string{"ok  \tgithub.com/x\t1.2s"}},
		{"an included output", "```text\n{{#include ../x/testdata/run-it.txt}}\n```\n", nil},
		{"an environment and a command", "```text\nGODEBUG=x=1 go test ./handshake\n```\n", nil},
		{"code is not output", "```go\nfmt.Println(1)\n```\n", nil},
		{"console output", "```console\n$ curl -i localhost:1234\nHTTP/1.1 200 OK\n```\n", []string{"$ curl -i localhost:1234"}},
		{"two blocks", "```text\none\n```\n\n```sh\ntwo\n```\n\n```text\nthree\n```\n", []string{"one", "three"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, pastedOutputs(tc.text))
		})
	}
}
