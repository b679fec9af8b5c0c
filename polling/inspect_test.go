package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestInspectorShowsTheWebSocketPane: the lab's page watches its WebSocket
// pane's connection with the shared frame inspector: the handshake (with
// the pane's cursor in its URL), then one unmasked text frame out per
// event published.
func TestInspectorShowsTheWebSocketPane(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL),
		chromedp.PollFunction[chromedp.Void](`() => document.getElementById("handshake-expected").textContent.includes("✓")`,
			chromedp.WithPollingTimeout(15*time.Second)),
	))
	request, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("handshake-request").textContent`))
	require.NoError(t, err)
	assert.Regexp(t, `^GET /ws\?since=\d+&inspect=[-_0-9A-Za-z]{22} HTTP/1\.1\r\n`, request)

	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(`#text`, "seen on the wire"), chromedp.Click(`#publish`)))
	rows := webtest.WaitForRows(t, ctx, 1)
	out := rows[0]
	assert.Equal(t, []string{"out", "1", "0", "1", "0"}, []string{out.Dir, out.Fin, out.RSV, out.Opcode, out.Mask})
	assert.True(t, strings.HasPrefix(out.Cells[webtest.CellText], `{"id":`), "an event as JSON: %q", out.Cells[webtest.CellText])
}
