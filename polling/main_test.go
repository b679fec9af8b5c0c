package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// ANCHOR: browser_test
// TestPageShowsAnEventInAllFourPanes publishes by hand in the page and
// waits for the event in the short-poll, long-poll, event-stream and
// WebSocket panes. The
// text carries markup, which must show as text and never become an element.
func TestPageShowsAnEventInAllFourPanes(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	ctx := webtest.Browser(t)
	const text = `hello <b id="injected">lab</b>`
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL),
		chromedp.WaitVisible(`#ws-status`),
		chromedp.PollFunction[chromedp.Void](
			`() => document.getElementById("ws-status").textContent === "open"`,
			chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.SetValue(`#text`, text),
		chromedp.Click(`#publish`),
	))
	for _, pane := range []string{"poll", "longpoll", "sse", "ws"} {
		err := chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](
			`(id, want) =>
				document.getElementById(id + "-log").textContent.includes(want)`,
			chromedp.WithPollingArgs(pane, text),
			chromedp.WithPollingTimeout(15*time.Second),
		))
		require.NoError(t, err, "the event never reached the %s pane", pane)
	}
	injected, err := chromedp.Run(ctx,
		chromedp.Evaluate[bool](`document.getElementById("injected") !== null`))
	require.NoError(t, err)
	assert.False(t, injected, "event text was parsed as HTML")

	// The byte counters come from the server's /stats; they must move.
	require.NoError(t, chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](
		`() => ["poll", "longpoll", "sse", "ws"].every((id) =>
			document.querySelector("#" + id + " .bytes").textContent !== "0")`,
		chromedp.WithPollingTimeout(15*time.Second),
	)), "the byte counters stayed at 0")
}

// ANCHOR_END: browser_test

// ANCHOR: lost_browser_test
// TestPageShowsLostEventsAndCatchesUp opens the page at ?since=5 after 1,105
// publishes of 4 KiB each: the ring holds 82…1105 (4 MiB, five answers of at
// most 1 MiB), so each pane must say that 6…81 are lost, then follow its
// cursor to the newest event.
func TestPageShowsLostEventsAndCatchesUp(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	c := &http.Client{Timeout: 10 * time.Second}
	for i := range 1105 {
		resp, err := c.Post(s.URL+"/publish", "text/plain", strings.NewReader(fmt.Sprintf("event %d %s", i+1, strings.Repeat("x", 4<<10))))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	// The browser's time budget starts now, not before the publishes (which
	// take long on a loaded machine).
	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+"/?since=5")))
	for _, pane := range []string{"poll", "longpoll", "sse", "ws"} {
		err := chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](
			`(id) => document.querySelector("#" + id + " .lost").textContent === "76 (last: #6-#81)" &&
				document.getElementById(id + "-log").textContent.includes("#1105 event 1105 ")`,
			chromedp.WithPollingArgs(pane),
			chromedp.WithPollingTimeout(30*time.Second),
		))
		if err != nil {
			lost, _ := chromedp.Run(context.WithoutCancel(ctx), chromedp.TextContent(chromedp.CSS("#"+pane+" .lost")))
			t.Fatalf("the %s pane did not show the loss and catch up: %v (events lost: %q)", pane, err, lost)
		}
	}
}

// ANCHOR_END: lost_browser_test

// ANCHOR: sse_browser_test
// TestSSEPaneReconnectsAndMissesNothing: with -sse-lifetime 1s the server
// ends every event stream after a second. The EventSource reconnects by
// itself after the server's "retry: 2000", with Last-Event-ID; events
// published while the pane says "reconnecting" must all arrive, once each,
// and the pane must show the reconnect and the id it resumed after.
func TestSSEPaneReconnectsAndMissesNothing(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0", "-sse-lifetime", "1s")
	ctx := webtest.Browser(t)
	poll := func(js string, args ...any) error {
		return chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](js,
			chromedp.WithPollingArgs(args...),
			chromedp.WithPollingTimeout(15*time.Second)))
	}
	const text = `(id) => document.getElementById(id).textContent`
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL)))
	require.NoError(t, poll(`(is) => (`+text+`)("sse-status") === is`, "open"))
	first := publishText(t, s.URL, "before the cut")
	const logHas = `(want) => (` + text + `)("sse-log").includes(want)`
	require.NoError(t, poll(logHas, "before the cut"),
		"the event never reached the SSE pane")
	require.NoError(t, poll(`(is) => (`+text+`)("sse-status") === is`, "reconnecting"),
		"the stream was never cut")
	var gap []int64
	for i := range 3 {
		gap = append(gap, publishText(t, s.URL, fmt.Sprintf("in the gap %d", i+1)))
	}
	require.NoError(t, poll(`(ids) => {
		const log = document.getElementById("sse-log").textContent;
		return Number(document.getElementById("sse-reconnects").textContent) >= 1 &&
			ids.every((id) => log.includes("#" + id + " in the gap"));
	}`, gap), "the events published while the stream was down never arrived")
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[1, 2, 3, 4, 5].map((id) =>
		[...document.querySelectorAll("#sse-log li")]
			.filter((li) => li.textContent.includes(" ms#" + id + " ")).length)`))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 1, 1, 1, 0}, counts, "events 1-4 once each, no event 5")
	resumed, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.getElementById("sse-resumed").textContent`))
	require.NoError(t, err)
	assert.Regexp(t, `^#\d+$`, resumed)
	assert.Equal(t, int64(1), first)
}

// ANCHOR_END: sse_browser_test

// TestSSEPaneStartsAgainAfterA400: a cursor ahead of the newest event (a
// page left open across a server restart; here, ?since=999) gets 400, which
// makes the browser give up on the stream for good; the pane then starts
// again from 0 and shows what the server has.
func TestSSEPaneStartsAgainAfterA400(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	publishText(t, s.URL, "the only event")
	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/?since=999"),
		chromedp.PollFunction[chromedp.Void](`() =>
			document.getElementById("sse-log").textContent.includes("#1 the only event") &&
			document.getElementById("sse-status").textContent === "open"`,
			chromedp.WithPollingTimeout(15*time.Second)),
	), "the SSE pane did not start again from 0 after the 400")
}

// publishText POSTs text to /publish and returns its id.
func publishText(t *testing.T, base, text string) int64 {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Post(base+"/publish", "text/plain", strings.NewReader(text))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got struct{ ID int64 }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	return got.ID
}

// TestSignals: SIGINT and SIGTERM send close 1001 to every WebSocket and the
// process exits 0 within five seconds.
func TestSignals(t *testing.T) {
	webtest.SignalContract(t, ".")
}

// TestShutdownEndsLongPolls: a long poll that is waiting when the server
// stops is answered with [] at once, not after its 30 s.
func TestShutdownEndsLongPolls(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	answered := make(chan string, 1)
	go func() {
		resp, err := http.Get(s.URL + "/longpoll?since=0")
		if err != nil {
			answered <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		answered <- strings.TrimSpace(string(body))
	}()
	require.Eventually(t, func() bool { return stats(t, s.URL)["longpoll"].Requests == 1 }, 10*time.Second, time.Millisecond)
	require.NoError(t, s.Stop())
	select {
	case body := <-answered:
		assert.Equal(t, "[]", body)
	case <-time.After(10 * time.Second):
		t.Fatal("the long poll was not answered when the server stopped")
	}
}

// TestShutdownEndsEventStreams: an event stream that is open when the
// server stops is ended at once, cleanly (serve.Server ends every request
// and says goodbye to every tracked stream), so it cannot hold the
// shutdown up for ShutdownTimeout.
func TestShutdownEndsEventStreams(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	ended := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL + "/sse")
		if err != nil {
			ended <- err
			return
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		ended <- err
	}()
	require.Eventually(t, func() bool { return stats(t, s.URL)["sse"].Requests == 1 }, 10*time.Second, time.Millisecond)
	require.NoError(t, s.Stop())
	select {
	case err := <-ended:
		assert.NoError(t, err, "the stream ends cleanly, with its last chunk")
	case <-time.After(10 * time.Second):
		t.Fatal("the event stream was not ended when the server stopped")
	}
}

// TestStatsCountsEachTransport: a poll is charged to poll, and its bytes
// are at least the size of its own request line.
func TestStatsCountsEachTransport(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	resp, err := http.Get(s.URL + "/poll?since=0")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	got := stats(t, s.URL)
	assert.Equal(t, int64(1), got["poll"].Requests)
	assert.Greater(t, got["poll"].BytesIn, int64(len("GET /poll?since=0 HTTP/1.1\r\n")))
	assert.Greater(t, got["poll"].BytesOut, int64(len("HTTP/1.1 200 OK\r\n[]")))
	assert.Zero(t, got["ws"].Requests)
}

type totals struct {
	Requests int64 `json:"requests"`
	BytesIn  int64 `json:"bytes_in"`
	BytesOut int64 `json:"bytes_out"`
}

// stats fetches /stats.
func stats(t *testing.T, base string) map[string]totals {
	resp, err := http.Get(base + "/stats")
	require.NoError(t, err)
	defer resp.Body.Close()
	var raw map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
	out := map[string]totals{}
	for _, k := range []string{"poll", "longpoll", "sse", "ws", "other"} {
		var v totals
		require.NoError(t, json.Unmarshal(raw[k], &v))
		out[k] = v
	}
	return out
}

// TestOriginPolicy: the lab's WebSocket keeps the workbook's origin policy
// (policy.Origins): same-origin and Origin-less handshakes are accepted, a
// cross-site page is refused with 403 unless -allow-origin names it.
func TestOriginPolicy(t *testing.T) {
	const key = "dGhlIHNhbXBsZSBub25jZQ=="
	cases := []struct {
		name   string
		args   []string
		origin func(url string) string
		status int
	}{
		{"no Origin", nil, func(string) string { return "" }, http.StatusSwitchingProtocols},
		{"same origin", nil, func(url string) string { return url }, http.StatusSwitchingProtocols},
		{"cross-site", nil, func(string) string { return "http://evil.example" }, http.StatusForbidden},
		{"cross-site but allowed", []string{"-allow-origin", "http://friend.example"}, func(string) string { return "http://friend.example" }, http.StatusSwitchingProtocols},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := webtest.Start(t, run, append([]string{"-tick", "0"}, tc.args...)...)
			resp := webtest.RawHandshake(t, s.URL, "/ws", key, tc.origin(s.URL))
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}

// ANCHOR: methods_test
// TestMethods: the lab answers what each handler promises, with its page
// route beside them: a wrong method is 405 with an Allow header, never the
// page's 404 (GET /publish used to fall through to GET /).
func TestMethods(t *testing.T) {
	s := webtest.Start(t, run, "-tick", "0")
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/publish", http.StatusMethodNotAllowed, "POST"},
		{"HEAD", "/publish", http.StatusMethodNotAllowed, "POST"},
		{"PUT", "/publish", http.StatusMethodNotAllowed, "POST"},
		{"POST", "/poll", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"POST", "/longpoll", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"POST", "/ws", http.StatusMethodNotAllowed, "GET"},
		{"POST", "/sse", http.StatusMethodNotAllowed, "GET"},
		{"POST", "/", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"POST", "/lab.js", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"GET", "/", http.StatusOK, ""},
		{"GET", "/lab.js", http.StatusOK, ""},
		{"GET", "/poll", http.StatusOK, ""},
		{"GET", "/stats", http.StatusOK, ""},
		{"GET", "/no-such-page", http.StatusNotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, s.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
		})
	}
}

// ANCHOR_END: methods_test

// TestPublishOriginPolicy: the lab's POST /publish keeps the origin policy
// of its WebSocket, -allow-origin included: a cross-site page's simple
// text/plain POST needs no CORS preflight, so the server must refuse it.
func TestPublishOriginPolicy(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		origin func(url string) string
		status int
	}{
		{"no Origin", nil, func(string) string { return "" }, http.StatusOK},
		{"same origin", nil, func(url string) string { return url }, http.StatusOK},
		{"cross-site", nil, func(string) string { return "http://evil.example" }, http.StatusForbidden},
		{"cross-site but allowed", []string{"-allow-origin", "http://friend.example"}, func(string) string { return "http://friend.example" }, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := webtest.Start(t, run, append([]string{"-tick", "0"}, tc.args...)...)
			req, err := http.NewRequest("POST", s.URL+"/publish", strings.NewReader("hello"))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "text/plain")
			if o := tc.origin(s.URL); o != "" {
				req.Header.Set("Origin", o)
			}
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}
