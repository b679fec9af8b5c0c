package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestPageOnTwoProcesses: the chat page in Chromium, one tab on each of
// two chat servers. What is said in one tab shows in the other. Then the
// first tab's server shuts down (close 1001); the page joins again on the
// second server (its ?servers= list) with since, and shows what the other
// tab said meanwhile, once.
func TestPageOnTwoProcesses(t *testing.T) {
	nats := startNATS(t)
	a := startChat(t, nats)
	// B admits pages served by A: after a failover the page, still A's,
	// talks to B.
	b := startChat(t, nats, "-allow-origin", a.URL)

	ada := webtest.Browser(t)
	servers := url.QueryEscape(a.WS() + "," + b.WS())
	require.NoError(t, chromedp.Do(ada, chromedp.Navigate(a.URL+"/?name=ada&room=lobby&servers="+servers)))
	webtest.WaitForLog(t, ada, "connected to "+a.WS())

	bob, cancel := chromedp.NewContext(ada) // a second tab
	defer cancel()
	require.NoError(t, chromedp.Do(bob, chromedp.Navigate(b.URL+"/?name=bob&room=lobby")))
	webtest.WaitForLog(t, bob, "connected to ")
	require.NoError(t, chromedp.Do(bob, chromedp.Poll[chromedp.Void](`document.getElementById("names").textContent === "ada, bob"`,
		chromedp.WithPollingMutation())), "presence in bob's tab")

	sayIn(t, ada, "hello from A")
	webtest.WaitForLog(t, bob, "ada: hello from A")

	require.NoError(t, a.Stop())
	webtest.WaitForLog(t, ada, "code 1001")
	sayIn(t, bob, "said while ada was away")
	webtest.WaitForLog(t, ada, "connected to "+b.WS())
	webtest.WaitForLog(t, ada, "bob: said while ada was away")
	log := webtest.LogText(t, ada)
	assert.Contains(t, log, "since ", "the page resumed with since")
	assert.Equal(t, 1, strings.Count(log, "hello from A"), "no duplicate after the failover:\n%s", log)
	assert.Equal(t, 1, strings.Count(log, "said while ada was away"), "no duplicate after the failover:\n%s", log)
}

// sayIn types text in a tab's message box and presses Say.
func sayIn(t *testing.T, tab context.Context, text string) {
	t.Helper()
	require.NoError(t, chromedp.Do(tab,
		chromedp.SendKeys(chromedp.CSS("#message"), text),
		chromedp.Click(chromedp.CSS("#send")),
	), "saying %q", text)
}
