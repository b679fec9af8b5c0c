package chapters

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// notesBlock is a page's speaker notes: one <details class="speaker-notes">
// block, the last thing on the page (so that it stays out of the way of
// the page's own sections).
var notesBlock = regexp.MustCompile(`(?s)<details class="speaker-notes">\n<summary>Speaker notes</summary>\n(.*)</details>\s*$`)

// notesParts are what every page's notes hold, in this order: what to
// say, what to demo, the questions students ask (with the answers), and
// the common mistakes, each as symptom → fix.
var notesParts = []string{"**Say.**", "**Demo.**", "**Questions.**", "**Mistakes.**"}

// TestEveryChapterHasSpeakerNotes: every page SUMMARY.md lists ends with
// speaker notes for the instructor, in four parts, with at least one
// question and one mistake.
func TestEveryChapterHasSpeakerNotes(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	for _, ch := range chapters {
		t.Run(ch, func(t *testing.T) {
			data, err := os.ReadFile(ch)
			require.NoError(t, err)
			text := string(data)
			assert.Equal(t, 1, strings.Count(text, `<details class="speaker-notes">`), "one speaker-notes block per page")
			m := notesBlock.FindStringSubmatch(text)
			require.NotNil(t, m, `the page ends with <details class="speaker-notes">, a line <summary>Speaker notes</summary>, the notes and </details>`)
			notes := m[1]
			last := -1
			for _, part := range notesParts {
				i := strings.Index(notes, part)
				if assert.GreaterOrEqual(t, i, 0, "the notes have a part %s", part) {
					assert.Greater(t, i, last, "%s comes after the parts before it (%v)", part, notesParts)
					last = i
				}
			}
			questions := notes[strings.Index(notes, "**Questions.**")+1:]
			assert.Regexp(t, `(?m)^- \*.+\?\*`, questions, "at least one question, as `- *The question?* The answer.`")
			assert.Contains(t, notes[strings.Index(notes, "**Mistakes.**")+1:], "→", "mistakes are written symptom → fix")
			assert.Regexp(t, `(?s)^\s*\n`, notes, "a blank line after <summary>, so mdBook renders the notes as Markdown")
		})
	}
}

// buildBook builds the book with the real mdBook into a temporary folder
// and returns it; without mdBook the test is skipped (failed under CI=true).
func buildBook(t *testing.T) string {
	t.Helper()
	mdbook := mdbookPath()
	webtest.RequireTool(t, mdbook != "", "mdBook 0.4.4", "npm ci (at the top of the repository)")
	out := t.TempDir()
	cmd := exec.Command(mdbook, "build", "-d", out)
	cmd.Dir = ".."
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	require.NoError(t, cmd.Run(), "mdbook build:\n%s", log.String())
	return out
}

// TestSpeakerNotesAreHiddenUntilTurnedOn opens the built book in Chromium:
// a student sees no notes; ?notes=1 shows them, on every page after it
// (the choice is kept), until the key N or ?notes=0 turns them off.
func TestSpeakerNotesAreHiddenUntilTurnedOn(t *testing.T) {
	book := buildBook(t)
	ctx := webtest.Browser(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(book)))
	t.Cleanup(srv.Close)

	// shown reports whether page's speaker notes are displayed, open and
	// take up room on the page.
	shown := func(page string) bool {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+page)), "open %s", page)
		return notesShown(t, ctx, page)
	}

	assert.False(t, shown("/frames.html"), "a student opening a chapter sees no speaker notes")
	assert.False(t, shown("/handshake.html"), "…on any chapter")
	assert.True(t, shown("/frames.html?notes=1"), "?notes=1 shows them")
	assert.True(t, shown("/handshake.html"), "the choice is kept from page to page (localStorage)")

	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("n")))
	assert.False(t, notesShown(t, ctx, "/handshake.html after the key N"), "the key N turns them off")
	assert.False(t, shown("/polling.html"), "…and that is kept too")
	assert.True(t, shown("/polling.html?notes=1"))
	assert.False(t, shown("/polling.html?notes=0"), "?notes=0 turns them off")
	assert.False(t, shown("/frames.html"), "…for good")
}

// notesState is what the page's first speaker-notes block looks like.
type notesState struct {
	Display string  `json:"display"`
	Open    bool    `json:"open"`
	Height  float64 `json:"height"`
	Text    string  `json:"text"`
}

// notesShown reports whether the current page's speaker notes are
// displayed; shown notes must be open and take room, hidden ones none.
func notesShown(t *testing.T, ctx context.Context, page string) bool {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[*notesState](`(() => {
		const d = document.querySelector("details.speaker-notes");
		return d && {display: getComputedStyle(d).display, open: d.open, height: d.getBoundingClientRect().height, text: d.textContent};
	})()`))
	require.NoError(t, err, "%s: reading the speaker notes", page)
	require.NotNil(t, st, "%s has no details.speaker-notes in the built page", page)
	assert.Contains(t, st.Text, "Say.", "%s: the notes are in the page", page)
	assert.NotContains(t, st.Text, "**", "%s: the notes are rendered as Markdown (a blank line after <summary>)", page)
	if st.Display == "none" {
		assert.Zero(t, st.Height, "%s: hidden notes take no room", page)
		return false
	}
	assert.True(t, st.Open, "%s: notes that are shown are open", page)
	assert.Positive(t, st.Height, "%s: notes that are shown take room", page)
	return true
}
