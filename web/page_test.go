package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// pageServer serves the shared page and, at /ws, a minimal test echo that
// answers text M with prefix+M and binary with the same bytes. A text
// message "close me" makes it close with 1001 and a reason instead.
func pageServer(t *testing.T, prefix string) *httptest.Server {
	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			kind, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if kind == websocket.TextMessage && string(msg) == "close me" {
				c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "asked to"))
				continue // read the browser's answering close
			}
			if kind == websocket.TextMessage {
				msg = append([]byte(prefix), msg...)
			}
			if c.WriteMessage(kind, msg) != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// send types msg into the page and clicks Send Message.
func send(t *testing.T, ctx context.Context, msg string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Clear(chromedp.CSS("#message")),
		chromedp.SendKeys(chromedp.CSS("#message"), msg),
		chromedp.Click(chromedp.CSS("#send")),
	))
}

func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	webtest.WaitForLog(t, ctx, "connected to ")
}

func TestPageInBrowser(t *testing.T) {
	srv := pageServer(t, "Received: ")
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"

	t.Run("open and message: connects to /ws on its own host and echoes", func(t *testing.T) {
		ctx := webtest.Browser(t)
		open(t, ctx, srv.URL+"/")
		webtest.WaitForLog(t, ctx, "connected to "+wsURL)
		send(t, ctx, "Hello, world!")
		webtest.WaitForLog(t, ctx, "Received: Hello, world!")
	})

	t.Run("close: shows the code, its name and the reason", func(t *testing.T) {
		ctx := webtest.Browser(t)
		open(t, ctx, srv.URL+"/")
		send(t, ctx, "close me")
		webtest.WaitForLog(t, ctx, `connection closed with code 1001 (going away), reason "asked to"`)
	})

	t.Run("error: a server that is not there gives error, then close 1006", func(t *testing.T) {
		gone := httptest.NewServer(http.NotFoundHandler())
		goneURL := "ws" + strings.TrimPrefix(gone.URL, "http") + "/ws"
		gone.Close()
		ctx := webtest.Browser(t)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?ws="+goneURL)))
		webtest.WaitForLog(t, ctx, "the connection failed or broke")
		webtest.WaitForLog(t, ctx, "code 1006")
	})

	t.Run("binary: the checkbox sends bytes and shows the bytes that come back", func(t *testing.T) {
		ctx := webtest.Browser(t)
		open(t, ctx, srv.URL+"/")
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#binary"))))
		send(t, ctx, "Hi!")
		webtest.WaitForLog(t, ctx, "message binary, 3 bytes: 48 69 21")
	})

	t.Run("?ws= points the page at another server", func(t *testing.T) {
		other := pageServer(t, "the other server says: ")
		otherWS := "ws" + strings.TrimPrefix(other.URL, "http") + "/ws"
		ctx := webtest.Browser(t)
		open(t, ctx, srv.URL+"/?ws="+otherWS)
		webtest.WaitForLog(t, ctx, "connected to "+otherWS)
		send(t, ctx, "hi")
		webtest.WaitForLog(t, ctx, "the other server says: hi")
	})

	t.Run("Disconnect closes with 1000; Connect opens again", func(t *testing.T) {
		ctx := webtest.Browser(t)
		open(t, ctx, srv.URL+"/")
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#connect"))))
		webtest.WaitForLog(t, ctx, "code 1000 (normal closure)")
		send(t, ctx, "nobody listening")
		webtest.WaitForLog(t, ctx, "not connected: press Connect first")
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#connect"))))
		connected, err := chromedp.Run(ctx, chromedp.PollFunction[int](
			`() => { const n = document.getElementById("log").textContent.split("connected to ").length - 1; return n >= 2 ? n : 0; }`,
			chromedp.WithPollingMutation()))
		require.NoError(t, err)
		assert.Equal(t, 2, connected)
	})

	t.Run("a message is shown as text, never run as markup", func(t *testing.T) {
		ctx := webtest.Browser(t)
		open(t, ctx, srv.URL+"/")
		evil := `<img src=x onerror="document.title='pwned'">`
		send(t, ctx, evil)
		webtest.WaitForLog(t, ctx, "Received: "+evil)
		images, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#log img").length`))
		require.NoError(t, err)
		assert.Zero(t, images, "the message became an <img> element")
	})
}
