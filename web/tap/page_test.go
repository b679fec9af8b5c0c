package tap

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestPanelInBrowser drives the shared page in headless Chromium against a
// tapped test server whose echo pings every 100 ms: the inspector's checks
// of every echo server, then the pings, and markup that stays text.
func TestPanelInBrowser(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{pingPeriod: 100 * time.Millisecond})
	ctx := webtest.Browser(t)

	t.Run("markup from the wire stays text", func(t *testing.T) {
		evil := `<img src=x onerror="document.title='pwned'">`
		webtest.EchoInPage(t, ctx, s.URL+"/", evil)
		rows := webtest.WaitForRows(t, ctx, 2)
		assert.Equal(t, evil[:32]+"…", rows[0].Cells[webtest.CellText], "the first 32 bytes, as text")
		assert.Equal(t, "Received: "+evil[:22]+"…", rows[1].Cells[webtest.CellText])
		images, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#frames img, #handshake img").length`))
		require.NoError(t, err)
		assert.Zero(t, images, "a frame's text became an <img> element")
	})

	t.Run("the server's ping goes out, the browser's pong comes in, masked", func(t *testing.T) {
		pings, err := chromedp.Run(ctx, chromedp.PollFunction[[]string](
			`() => {
				const ping = document.querySelector('#frames tr[data-opcode="9"][data-dir="out"][data-mask="0"]');
				const pong = document.querySelector('#frames tr[data-opcode="10"][data-dir="in"][data-mask="1"]');
				return ping && pong ? [ping.cells[4].textContent, pong.cells[4].textContent] : null;
			}`,
			chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(15*time.Second)))
		require.NoError(t, err)
		assert.Equal(t, []string{"9 ping", "10 pong"}, pings)
	})

	t.Run("reload: a fresh page, a fresh connection, its own rows", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+"/")))
		webtest.WaitForLog(t, ctx, "connected to ")
		webtest.InspectPage(t, ctx)
	})
}
