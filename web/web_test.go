package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web"
)

func TestHandlerServesThePage(t *testing.T) {
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()

	cases := []struct {
		path        string
		status      int
		contentType string
		contains    []string
	}{
		{"/", http.StatusOK, "text/html; charset=utf-8", []string{`id="message"`, `id="send"`, `Send Message`, `id="log"`, `id="connect"`, `id="binary"`, `client.js`, `id="frames"`, `id="handshake"`, `inspector.js`}},
		{"/client.js", http.StatusOK, "text/javascript; charset=utf-8", []string{"onopen", "onmessage", "onerror", "onclose", "textContent"}},
		{"/style.css", http.StatusOK, "text/css; charset=utf-8", []string{"#log", "#frames"}},
		{"/inspector.js", http.StatusOK, "text/javascript; charset=utf-8", []string{"/inspect/new", "textContent", "data"}},
		{"/no-such-file", http.StatusNotFound, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.contentType != "" {
				assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"))
			}
			for _, want := range tc.contains {
				assert.Contains(t, string(body), want)
			}
		})
	}
}
