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

func TestCheckAcceptsGoodRequests(t *testing.T) {
	cases := []struct {
		name   string
		change func(h http.Header)
		rule   string
	}{
		{"Firefox's keep-alive, Upgrade", nil,
			"§4.2.1 item 4: Connection must include \"Upgrade\";\nit may list others, comma-separated"},
		{"Connection: Upgrade", func(h http.Header) { h.Set("Connection", "Upgrade") },
			"§4.2.1 item 4: Connection must include \"Upgrade\""},
		{"Upgrade: WebSocket, any case", func(h http.Header) { h.Set("Upgrade", "WebSocket") },
			"§4.2.1 item 3: the Upgrade token \"websocket\"\nis compared case-insensitively"},
		{"Connection: upgrade, any case", func(h http.Header) { h.Set("Connection", "upgrade") },
			"§4.2.1 item 4: the Connection token \"Upgrade\"\nis compared case-insensitively"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, reason := Check(request(http.MethodGet, tc.change))
			assert.Equal(t, http.StatusSwitchingProtocols, status,
				"RFC 6455 %s;\na good request gets 101 (refused with %q)", tc.rule, reason)
		})
	}
}

func TestCheckRefusals(t *testing.T) {
	cases := []struct {
		name   string
		method string
		change func(h http.Header)
		want   int
		rule   string
	}{
		{"POST", http.MethodPost, nil, 405, "§4.2.1 item 1: the method must be GET"},
		{"no Upgrade", http.MethodGet, func(h http.Header) { h.Del("Upgrade") }, 400,
			"§4.2.1 item 3: an Upgrade header with the token websocket is required; else the server refuses, \"such as 400 Bad Request\" (§4.2.1)"},
		{"Connection without upgrade", http.MethodGet, func(h http.Header) { h.Set("Connection", "keep-alive") }, 400,
			"§4.2.1 item 4: Connection must include Upgrade; without it, 400"},
		{"key not base64", http.MethodGet, func(h http.Header) { h.Set("Sec-WebSocket-Key", "%%%") }, 400,
			"§4.2.1 item 5: Sec-WebSocket-Key must be base64"},
		{"key of 15 bytes", http.MethodGet, func(h http.Header) { h.Set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA") }, 400,
			"§4.2.1 item 5: Sec-WebSocket-Key must decode to exactly 16 bytes"},
		{"key of 17 bytes", http.MethodGet, func(h http.Header) { h.Set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAA=") }, 400,
			"§4.2.1 item 5: Sec-WebSocket-Key must decode to exactly 16 bytes"},
		{"version 8", http.MethodGet, func(h http.Header) { h.Set("Sec-WebSocket-Version", "8") }, 426,
			"§4.2.2: a version the server does not speak gets 426 Upgrade Required, with the versions it does"},
		{"no version", http.MethodGet, func(h http.Header) { h.Del("Sec-WebSocket-Version") }, 426,
			"§4.2.1 item 6: Sec-WebSocket-Version must be 13"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, reason := Check(request(tc.method, tc.change))
			assert.Equal(t, tc.want, status, "RFC 6455 %s", tc.rule)
			assert.NotEmpty(t, reason, "a refusal says why, for the server's log")
		})
	}
}
