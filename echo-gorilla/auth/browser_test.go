package auth

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// loginPage logs the browser in as alice, then shows #done.
const loginPage = `<!doctype html><title>login</title><script>
fetch("/login?user=alice", {method: "POST"}).then(() => {
  const p = document.createElement("p"); p.id = "done"; p.textContent = "logged in"; document.body.append(p);
});
</script><body></body>`

// ANCHOR: hijack-page

// hijackPage is the attacker's page, on another origin: it opens the
// victim's socket, which the browser sends with the victim's cookie, and
// shows what it got (#result).
const hijackPage = `<!doctype html><title>cat pictures</title><body><script>
const ws = new WebSocket(%q);
const show = text => {
  const p = document.createElement("p");
  p.id = "result";
  p.textContent = text;
  document.body.append(p);
};
ws.onmessage = e => show("stolen: " + e.data);
ws.onclose = e => show("closed: " + e.code);
</script></body>`

// ANCHOR_END: hijack-page

// ANCHOR: hijack-test

// TestCrossSiteHijackingInChromium: a real browser, logged in to the
// server, visits the attacker's page on another origin. With the origin
// check the handshake is refused (403, which the page sees as close 1006);
// without it the page reads the user's socket.
func TestCrossSiteHijackingInChromium(t *testing.T) {
	cases := []struct {
		checkOrigin bool
		want        string
	}{
		{true, "closed: 1006"},
		{false, "stolen: hello alice"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("origin check %v", tc.checkOrigin), func(t *testing.T) {
			s := New()
			s.CheckOrigin = tc.checkOrigin
			mux := http.NewServeMux()
			mux.Handle("/", s.Handler())
			mux.HandleFunc("GET /login-page", func(w http.ResponseWriter,
				r *http.Request) {
				w.Write([]byte(loginPage))
			})
			victim := httptest.NewServer(mux)
			defer victim.Close()
			wsURL := "ws" + strings.TrimPrefix(victim.URL, "http") + "/ws/cookie"
			attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				r *http.Request) {
				fmt.Fprintf(w, hijackPage, wsURL)
			}))
			defer attacker.Close()

			ctx := webtest.Browser(t)
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(victim.URL+"/login-page"),
				chromedp.WaitVisible(chromedp.CSS("#done")),
				chromedp.Navigate(attacker.URL),
				chromedp.WaitVisible(chromedp.CSS("#result")),
			))
			result, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#result")))
			require.NoError(t, err)
			assert.Equal(t, tc.want, result)
		})
	}
}

// ANCHOR_END: hijack-test

// protocolPage asks for a ticket with its session, then offers it as a
// second subprotocol, and shows what happened (#result).
const protocolPage = `<!doctype html><title>app</title><body><script>
const show = text => {
  const p = document.createElement("p"); p.id = "result"; p.textContent = text; document.body.append(p);
};
fetch("/login?user=alice", {method: "POST"})
  .then(() => fetch("/ticket", {method: "POST"}))
  .then(r => r.text())
  .then(ticket => {
    const ws = new WebSocket(%q, ["ticket", ticket]);
    ws.onmessage = e => show("got: " + e.data + " (subprotocol " + ws.protocol + ")");
    ws.onclose = e => show("closed: " + e.code);
  });
</script></body>`

// ANCHOR: protocol-browser-test

// TestSubprotocolAnswerInChromium: Chromium offers ["ticket", TICKET]. A
// server that answers "ticket" gets the socket; one that answers no
// subprotocol at all has sent its 101, and still the browser fails the
// handshake: the page sees close 1006, and never a message.
func TestSubprotocolAnswerInChromium(t *testing.T) {
	cases := []struct {
		answer bool
		want   string
	}{
		{true, "got: hello alice (subprotocol ticket)"},
		{false, "closed: 1006"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("answers the subprotocol %v", tc.answer), func(t *testing.T) {
			s := New()
			s.noProtocolAnswer = !tc.answer
			mux := http.NewServeMux()
			mux.Handle("/", s.Handler())
			srv := httptest.NewServer(mux)
			defer srv.Close()
			wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/protocol"
			mux.HandleFunc("GET /app", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, protocolPage, wsURL)
			})

			ctx := webtest.Browser(t)
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/app"),
				chromedp.WaitVisible(chromedp.CSS("#result")),
			))
			result, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#result")))
			require.NoError(t, err)
			assert.Equal(t, tc.want, result)
		})
	}
}

// ANCHOR_END: protocol-browser-test

// ticketPage logs in, asks for a ticket with its session, and opens
// /ws/ticket with it twice: the second time is a replay.
const ticketPage = `<!doctype html><title>app</title><body><div id="out"></div><script>
const show = text => {
  const p = document.createElement("p"); p.textContent = text; document.getElementById("out").append(p);
};
const open = url => new Promise(done => {
  const ws = new WebSocket(url);
  ws.onmessage = e => { show("got: " + e.data); ws.close(); };
  ws.onclose = e => { if (e.code !== 1005) show("closed: " + e.code); done(); };
});
fetch("/login?user=alice", {method: "POST"})
  .then(() => fetch("/ticket", {method: "POST"}))
  .then(r => r.text())
  .then(async ticket => {
    await open(%q + ticket);
    await open(%q + ticket);
    show("done");
  });
</script></body>`

// ANCHOR: ticket-browser-test

// TestTicketInChromium: the page's first socket with a ticket opens; the
// same ticket again is refused (401 at the server, close 1006 in the page).
func TestTicketInChromium(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", New().Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/ticket?ticket="
	mux.HandleFunc("GET /app", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, ticketPage, wsURL, wsURL)
	})

	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/app"),
		chromedp.PollFunction[chromedp.Void](
			`() => document.getElementById("out").textContent.includes("done")`),
	))
	text, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#out")))
	require.NoError(t, err)
	assert.Contains(t, text, "got: hello alice")
	assert.Contains(t, text, "closed: 1006", "the replayed ticket")
}

// ANCHOR_END: ticket-browser-test
