package validate

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func request(method string, change func(h http.Header)) *http.Request {
	r := httptest.NewRequest(method, "/ws", nil)
	r.Header.Set("Upgrade", "websocket")
	r.Header.Set("Connection", "keep-alive, Upgrade")
	r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	r.Header.Set("Sec-WebSocket-Version", "13")
	if change != nil {
		change(r.Header)
	}
	return r
}

func TestCheckAcceptsAGoodRequest(t *testing.T) {
	status, _ := Check(request(http.MethodGet, nil))
	assert.Equal(t, http.StatusSwitchingProtocols, status)
}

func TestCheckRefusals(t *testing.T) {
	cases := []struct {
		name   string
		method string
		change func(h http.Header)
		want   int
	}{
		{"POST", http.MethodPost, nil, 405},
		{"no Upgrade", http.MethodGet, func(h http.Header) { h.Del("Upgrade") }, 400},
		{"Connection without upgrade", http.MethodGet, func(h http.Header) { h.Set("Connection", "keep-alive") }, 400},
		{"key not base64", http.MethodGet, func(h http.Header) { h.Set("Sec-WebSocket-Key", "%%%") }, 400},
		{"key of 15 bytes", http.MethodGet, func(h http.Header) { h.Set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA") }, 400},
		{"version 8", http.MethodGet, func(h http.Header) { h.Set("Sec-WebSocket-Version", "8") }, 426},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, reason := Check(request(tc.method, tc.change))
			assert.Equal(t, tc.want, status)
			assert.NotEmpty(t, reason)
		})
	}
}
