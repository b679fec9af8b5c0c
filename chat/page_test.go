package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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
// tab said meanwhile, once. Every connect brings a fresh ticket: after the
// failover, one that B gave a page of A's origin (CORS), for the session
// A started.
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
	assert.NotContains(t, log, "no ticket", "every connect got its ticket")
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

// ANCHOR: cross-site-ticket-page

// ticketPage is a page of another origin that asks the chat for a ticket
// with the browser's session (credentials: "include") and shows what it
// could read (#result).
const ticketPage = `<!doctype html><title>another site</title><body><script>
const show = text => {
  const p = document.createElement("p");
  p.id = "result"; p.textContent = text; document.body.append(p);
};
fetch(%q, {method: "POST", credentials: "include"})
  .then(r => r.text())
  .then(t => show("read a ticket of " + t.length + " characters"),
        e => show("refused: " + e.name));
</script></body>`

// ANCHOR_END: cross-site-ticket-page

// ANCHOR: cross-site-ticket-test

// TestTicketAcrossOriginsInChromium: a browser with a chat session visits
// a page of another origin that asks for a ticket. Its fetch carries the
// session cookie (the two are on 127.0.0.1: same site), and yet the page
// reads no ticket: the chat answers 403 without CORS headers, and the
// browser hides the answer. The same page, on an origin the chat admits
// with -allow-origin (another chat's page), reads one.
func TestTicketAcrossOriginsInChromium(t *testing.T) {
	var chatURL string // set once the chat has started
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, ticketPage, chatURL+"/ticket")
	})
	stranger, friend := httptest.NewServer(page), httptest.NewServer(page)
	defer stranger.Close()
	defer friend.Close()
	s := startChat(t, startNATS(t), "-allow-origin", friend.URL)
	chatURL = s.URL

	cases := []struct {
		name, page, want string
	}{
		{"a cross-site page", stranger.URL, "refused: TypeError"},
		{"a page -allow-origin admits", friend.URL, "read a ticket of 43 characters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := webtest.Browser(t)
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(s.URL+"/"), // the session cookie
				chromedp.Navigate(tc.page),
				chromedp.WaitVisible(chromedp.CSS("#result")),
			))
			result, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#result")))
			require.NoError(t, err)
			assert.Equal(t, tc.want, result)
		})
	}
}

// ANCHOR_END: cross-site-ticket-test

// TestPageGetsANewSession: the sessions bucket loses the page's session
// (it expired, or NATS started afresh) while the page is open. The page's
// POST /ticket gets 401; it loads its own address again for a new session,
// and its next ticket opens the socket.
func TestPageGetsANewSession(t *testing.T) {
	nats := startNATS(t)
	s := startChat(t, nats)
	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+"/?room=lobby")))

	b, err := connect(context.Background(), nats, 1, historyPerRoom)
	require.NoError(t, err)
	defer b.close()
	sessions, err := b.js.KeyValue(context.Background(), sessionBucket)
	require.NoError(t, err)
	keys, err := sessions.ListKeys(context.Background())
	require.NoError(t, err)
	n := 0
	for k := range keys.Keys() {
		require.NoError(t, sessions.Delete(context.Background(), k))
		n++
	}
	require.Equal(t, 1, n, "the page's session was the only one")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#connect"))))
	webtest.WaitForLog(t, ctx, "connected to "+s.WS())
	assert.NotContains(t, webtest.LogText(t, ctx), "no ticket")
}
