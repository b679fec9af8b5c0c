package chapters

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// taughtIn is where the book teaches each API a listing may use: the
// chapter that explains it. Read in SUMMARY.md's order, no code the reader
// is shown uses one of these before its chapter (prose may point ahead, as
// "you will meet gorilla's Upgrader in chapter 6" does; code may not).
var taughtIn = []struct {
	api     string // what the code says, as a regular expression
	chapter string
}{
	// gorilla/websocket: its client is the trusted client of the tests that
	// the handshake and frames chapters write first, and each introduces
	// the calls its test makes; its server side is the gorilla chapter's.
	{`websocket\.DefaultDialer`, "handshake.md"},
	{`\.WriteControl\(`, "frames.md"},
	{`websocket\.FormatCloseMessage`, "frames.md"},
	{`\.SetPongHandler\(`, "frames.md"},
	{`websocket\.(Text|Binary)Message`, "frames.md"},
	{`websocket\.Close(NormalClosure|GoingAway|ProtocolError|MessageTooBig|PolicyViolation|AbnormalClosure)`, "frames.md"},
	{`websocket\.Upgrader`, "echo-gorilla.md"},
	{`\.SetReadLimit\(`, "echo-gorilla.md"},
	{`\.SetCloseHandler\(`, "echo-gorilla.md"},
	{`\.NextWriter\(`, "echo-gorilla.md"},
	// golang.org/x/net/websocket
	{`websocket\.Handler\(`, "echo-xnet.md"},
	{`websocket\.Server\{`, "echo-xnet.md"},
	{`websocket\.Message\.`, "echo-xnet.md"},
	// the by-hand package
	{`handshake\.Upgrade\(`, "handshake.md"},
	{`handshake\.Dial\(`, "handshake.md"},
	{`\.ReadMessage\(\)`, "frames.md"},
	{`handshake\.Compression\b`, "compression.md"},
	// the browser's API: the lab's WebSocket pane introduces it
	{`new WebSocket\(`, "polling.md"},
	{`sock\.onerror\b`, "browser-client.md"},
	{`new EventSource\(`, "polling.md"},
}

// TestNoAPIBeforeItsChapter: reading from the Introduction on, a reader
// meets every API of taughtIn first in its own chapter or after it, in a
// listing or a code block (an included file's lines or a fenced block).
func TestNoAPIBeforeItsChapter(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	position := map[string]int{}
	for i, ch := range chapters {
		position[filepath.Base(ch)] = i
	}
	code := make([]string, len(chapters))
	for i, ch := range chapters {
		code[i] = codeOf(t, ch)
	}
	for _, a := range taughtIn {
		re := regexp.MustCompile(a.api)
		teacher, ok := position[a.chapter]
		require.True(t, ok, "%s is in SUMMARY.md", a.chapter)
		for i := range teacher {
			if loc := re.FindStringIndex(code[i]); loc != nil {
				line := code[i][strings.LastIndex(code[i][:loc[0]], "\n")+1:]
				line, _, _ = strings.Cut(line, "\n")
				assert.Fail(t, "an API before its chapter",
					"%s uses %s, which %s teaches later:\n\t%s",
					filepath.Base(chapters[i]), a.api, a.chapter, strings.TrimSpace(line))
				break
			}
		}
	}
}

// codeOf is the code a chapter shows: the text of every fenced block, with
// each include replaced by what it includes.
func codeOf(t *testing.T, chapter string) string {
	data, err := os.ReadFile(chapter)
	require.NoError(t, err)
	var b strings.Builder
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			in = !in
			continue
		}
		if !in {
			continue
		}
		line = includeRE.ReplaceAllStringFunc(line, func(directive string) string {
			target := includeRE.FindStringSubmatch(directive)[2]
			text, err := Resolve(Include{Chapter: chapter, Target: target})
			require.NoError(t, err)
			return text
		})
		b.WriteString(line + "\n")
	}
	return b.String()
}
