package chapters

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// fitJS returns, for every code block of the page, the columns of its
// longest line (a tab counted as 4) and whether the block scrolls
// sideways.
const fitJS = `[...document.querySelectorAll('pre code')].map(c => ({
	columns: Math.max(...c.textContent.split('\n').map(l => l.replaceAll('\t', '    ').length)),
	scrolls: c.scrollWidth > c.clientWidth,
}))`

// block is one code block as fitJS measures it.
type block struct {
	Columns int  `json:"columns"`
	Scrolls bool `json:"scrolls"`
}

// TestListingsFitInChromium builds the book with mdBook and opens every
// chapter in Chromium at 1,200 × 900: a code block whose lines are all
// within maxColumns must not scroll sideways, so the rule TestListingWidth
// counts is the rule the reader sees.
func TestListingsFitInChromium(t *testing.T) {
	mdbook := mdbookPath()
	webtest.RequireTool(t, mdbook != "", "mdBook 0.4.4", "npm ci (at the top of the repository)")
	out := t.TempDir()
	cmd := exec.Command(mdbook, "build", "-d", out)
	cmd.Dir = ".."
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	require.NoError(t, cmd.Run(), "mdbook build:\n%s", log.String())
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()

	chapters, err := Chapters(".")
	require.NoError(t, err)
	ctx := webtest.Browser(t)
	_, err = chromedp.Run(ctx, chromedp.EmulateViewport(1200, 900))
	require.NoError(t, err)
	widest := 0
	for _, ch := range chapters {
		page := srv.URL + "/" + strings.TrimSuffix(ch, ".md") + ".html"
		_, err := chromedp.Run(ctx, chromedp.Navigate(page))
		require.NoError(t, err)
		blocks, err := chromedp.Run(ctx, chromedp.Evaluate[[]block](fitJS))
		require.NoError(t, err)
		for i, b := range blocks {
			if b.Columns <= maxColumns {
				assert.False(t, b.Scrolls, "%s: code block %d has %d columns and still scrolls", ch, i+1, b.Columns)
				if !b.Scrolls {
					widest = max(widest, b.Columns)
				}
			}
		}
	}
	t.Logf("the widest block that fits has %d columns", widest)
}
