package events

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/policy"
)

// TestBadInput: every malformed request gets a clear answer with the right
// status and one log line, and nothing is published by mistake.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name   string
		method string
		path   string
		body   []byte
		header map[string]string
		status int
	}{
		{"since is not a number", "GET", "/poll?since=abc", nil, nil, http.StatusBadRequest},
		{"since is negative", "GET", "/poll?since=-1", nil, nil, http.StatusBadRequest},
		{"since is a fraction", "GET", "/longpoll?since=1.5", nil, nil, http.StatusBadRequest},
		{"since is ahead of the log", "GET", "/longpoll?since=99", nil, nil, http.StatusBadRequest},
		{"since is too big for int64", "GET", "/poll?since=99999999999999999999", nil, nil, http.StatusBadRequest},
		{"WebSocket since is not a number", "GET", "/ws?since=x", nil, nil, http.StatusBadRequest},
		{"publish over 64 KiB", "POST", "/publish", bytes.Repeat([]byte("a"), MaxPublishBytes+1), nil, http.StatusRequestEntityTooLarge},
		{"publish not UTF-8", "POST", "/publish", []byte{'h', 0xff}, nil, http.StatusBadRequest},
		{"cross-site publish", "POST", "/publish", []byte("forged"), map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"publish from the opaque origin null", "POST", "/publish", []byte("forged"), map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"GET /publish", "GET", "/publish", nil, nil, http.StatusMethodNotAllowed},
		{"POST /poll", "POST", "/poll", nil, nil, http.StatusMethodNotAllowed},
		{"PUT /longpoll", "PUT", "/longpoll", nil, nil, http.StatusMethodNotAllowed},
		{"DELETE /ws", "DELETE", "/ws", nil, nil, http.StatusMethodNotAllowed},
		{"event stream since is not a number", "GET", "/sse?since=x", nil, nil, http.StatusBadRequest},
		{"Last-Event-ID is not a number", "GET", "/sse", nil, map[string]string{"Last-Event-ID": "seven"}, http.StatusBadRequest},
		{"Last-Event-ID is negative", "GET", "/sse", nil, map[string]string{"Last-Event-ID": "-1"}, http.StatusBadRequest},
		{"Last-Event-ID is empty", "GET", "/sse", nil, map[string]string{"Last-Event-ID": ""}, http.StatusBadRequest},
		{"Last-Event-ID is ahead of the log", "GET", "/sse?since=0", nil, map[string]string{"Last-Event-ID": "99"}, http.StatusBadRequest},
		{"cross-site event stream", "GET", "/sse", nil, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"POST /sse", "POST", "/sse", nil, nil, http.StatusMethodNotAllowed},
		{"plain GET /ws, no upgrade", "GET", "/ws", nil, nil, http.StatusBadRequest},
		{"cross-site WebSocket", "GET", "/ws", nil, map[string]string{
			"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
			"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "http://evil.example",
		}, http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			logs := captureLog(t)
			log := NewLog(0)
			log.Publish("already there")
			srv := startServer(t, &Handlers{Log: log})
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, bytes.NewReader(tc.body))
			require.NoError(t, err)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := (&http.Client{Timeout: ioTimeout}).Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			assert.Equal(t, tc.status, resp.StatusCode, "body: %s", body)
			assert.Equal(t, int64(1), log.Last(), "nothing may be published by a bad request")
			assert.Equal(t, 1, logs.count("msg=refused", fmt.Sprintf("status=%d", tc.status)), "want one log line; the log:\n%s", logs)
		})
	}
}

// TestPublishLimit: exactly 64 KiB is accepted, whole.
func TestPublishLimit(t *testing.T) {
	log := NewLog(0)
	srv := startServer(t, &Handlers{Log: log})
	text := strings.Repeat("é", MaxPublishBytes/2)
	assert.Equal(t, int64(1), publish(t, srv.URL, text))
	assert.Equal(t, text, log.Read(0, 1, MaxAnswerBytes).Events[0].Data)
}

// TestMethodNotAllowed: a wrong method gets 405 with an Allow header that
// names the right ones (RFC 9110 §15.5.6).
func TestMethodNotAllowed(t *testing.T) {
	cases := []struct{ method, path, allow string }{
		{"GET", "/publish", "POST"},
		{"PUT", "/publish", "POST"},
		{"POST", "/poll", "GET, HEAD"},
		{"DELETE", "/longpoll", "GET, HEAD"},
		{"POST", "/ws", "GET"},
		{"HEAD", "/sse", "GET"},
	}
	srv := startServer(t, &Handlers{Log: NewLog(0)})
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := (&http.Client{Timeout: ioTimeout}).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
		})
	}
}

// TestPublishOriginPolicy: POST /publish keeps the origin policy of /ws, so
// a cross-site page cannot publish with a simple text/plain POST.
func TestPublishOriginPolicy(t *testing.T) {
	cases := []struct {
		name    string
		allowed string // given to -allow-origin
		origin  string // SAME: the server's own
		status  int
	}{
		{"no Origin (curl, Go)", "", "", http.StatusOK},
		{"same origin", "", "SAME", http.StatusOK},
		{"cross-site", "", "http://evil.example", http.StatusForbidden},
		{"cross-site but allowed", "http://friend.example", "http://friend.example", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var origins policy.Origins
			require.NoError(t, origins.Set(tc.allowed))
			log := NewLog(0)
			srv := startServer(t, &Handlers{Log: log, Origins: &origins})
			req, err := http.NewRequest("POST", srv.URL+"/publish", strings.NewReader("hello"))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "text/plain")
			if tc.origin == "SAME" {
				tc.origin = srv.URL
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			resp, err := (&http.Client{Timeout: ioTimeout}).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.status == http.StatusOK, log.Last() == 1, "published only if allowed")
		})
	}
}
