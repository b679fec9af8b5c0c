package events

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadInput: every malformed request gets a clear answer with the right
// status, and nothing is published by mistake.
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
		{"GET /publish", "GET", "/publish", nil, nil, http.StatusMethodNotAllowed},
		{"POST /poll", "POST", "/poll", nil, nil, http.StatusMethodNotAllowed},
		{"PUT /longpoll", "PUT", "/longpoll", nil, nil, http.StatusMethodNotAllowed},
		{"DELETE /ws", "DELETE", "/ws", nil, nil, http.StatusMethodNotAllowed},
		{"plain GET /ws, no upgrade", "GET", "/ws", nil, nil, http.StatusBadRequest},
		{"cross-site WebSocket", "GET", "/ws", nil, map[string]string{
			"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
			"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "http://evil.example",
		}, http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
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
