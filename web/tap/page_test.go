package tap

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
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

// TestPanelWithCompression: the same checks against a tapped gorilla echo
// that negotiates permessage-deflate (RFC 7692) with the browser, so that
// messages cross the wire compressed: their rows have RSV1 set and show
// the message inflated.
func TestPanelWithCompression(t *testing.T) {
	tp := new(Tap)
	srv := &serve.Server{Addr: "127.0.0.1:0", Listen: tp.Listen}
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.Handle("/ws", gorillaEcho(true))
	tp.Register(mux, new(policy.Origins), srv)
	srv.Handler = tp.Handler(mux)
	url := run(t, srv)

	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url+"/")))
	webtest.WaitForLog(t, ctx, "connected to ")
	webtest.InspectPage(t, ctx)
	rows := webtest.WaitForRows(t, ctx, 2)
	assert.Equal(t, "4", rows[0].RSV, "the browser compressed Hello")
}

// gorillaEcho is gorilla's echo, "Received: M", with compression on or
// off.
func gorillaEcho(compress bool) http.Handler {
	up := websocket.Upgrader{EnableCompression: compress}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			kind, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if kind == websocket.TextMessage {
				msg = append([]byte("Received: "), msg...)
			}
			if c.WriteMessage(kind, msg) != nil {
				return
			}
		}
	})
}
