package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
	"golang.org/x/net/websocket"
)

// TestDefaultHandlerOriginPolicy shows why this server is a websocket.Server
// and not the websocket.Handler the original chapter used: Handler's built-in
// check is the opposite of what a server needs. It refuses every client that
// sends no Origin (curl, Go, Python) and welcomes a page from any site, which
// is exactly what cross-site WebSocket hijacking needs.
func TestDefaultHandlerOriginPolicy(t *testing.T) {
	handler := httptest.NewServer(websocket.Handler(func(ws *websocket.Conn) { ws.Close() }))
	defer handler.Close()
	ours := httptest.NewServer(newEchoServer(&policy.Origins{}, &serve.Server{}))
	defer ours.Close()

	cases := []struct {
		name        string
		origin      string
		handlerWant int
		oursWant    int
	}{
		{"no Origin (a command-line client)", "", http.StatusForbidden, http.StatusSwitchingProtocols},
		{"a page from another site", "http://evil.example", http.StatusSwitchingProtocols, http.StatusForbidden},
		{"the same origin", "SAME", http.StatusSwitchingProtocols, http.StatusSwitchingProtocols},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range []struct {
				name string
				url  string
				want int
			}{{"websocket.Handler", handler.URL, tc.handlerWant}, {"our websocket.Server", ours.URL, tc.oursWant}} {
				origin := tc.origin
				if origin == "SAME" {
					origin = s.url
				}
				resp := webtest.RawHandshake(t, s.url, "/", "dGhlIHNhbXBsZSBub25jZQ==", origin)
				assert.Equal(t, s.want, resp.StatusCode, "%s with Origin %q", s.name, origin)
			}
		})
	}
}
