package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestCountersAreThePagesAndReset: the page's request and byte counters
// count from when it opened, not from the server's start: 40 short polls
// made before it opened are in the server's totals and not on the page.
// Reset starts every counter again from zero.
func TestCountersAreThePagesAndReset(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	c := &http.Client{Timeout: 10 * time.Second}
	for range 40 {
		resp, err := c.Get(s.URL + "/poll?since=0")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL),
		chromedp.SetValue(`#interval`, "100"),
		// Wait for the page's counters to show some short polls of its own.
		chromedp.PollFunction[chromedp.Void](`() => Number(document.querySelector("#poll .requests").textContent) >= 3`,
			chromedp.WithPollingTimeout(15*time.Second)),
	), "the page's short-poll counter never moved")
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#poll .requests").textContent`))
	require.NoError(t, err)
	resp, err := c.Get(s.URL + "/stats")
	require.NoError(t, err)
	var stats map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&stats))
	resp.Body.Close()
	var poll struct{ Requests int }
	require.NoError(t, json.Unmarshal(stats["poll"], &poll))
	n, err := strconv.Atoi(strings.ReplaceAll(shown, ",", ""))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, poll.Requests, 40+n, "the server counted the 40 polls and the page's")
	assert.LessOrEqual(t, n, poll.Requests-40, "the page shows its own span, not the server's lifetime")

	// Reset: every counter shows zero at once, then counts again.
	after, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		document.getElementById("reset").click();
		return ["poll", "longpoll", "sse", "ws"].flatMap((id) => [".requests", ".bytes", ".lost"].map((c) => document.querySelector("#" + id + " " + c).textContent));
	})()`))
	require.NoError(t, err)
	assert.Equal(t, slices.Repeat([]string{"0"}, 12), after, "requests, bytes and lost of each pane after Reset")
	require.NoError(t, chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](
		`() => Number(document.querySelector("#poll .requests").textContent) >= 1 && document.querySelector("#poll .bytes").textContent !== "0"`,
		chromedp.WithPollingTimeout(15*time.Second),
	)), "the counters count again after Reset")
}
