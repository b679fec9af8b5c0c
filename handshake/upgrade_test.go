package handshake

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUpgradeRefusals sends one faulty handshake per case and checks the
// status, the header that must come with it, and that the body says why.
func TestUpgradeRefusals(t *testing.T) {
	good := func(r *http.Request) {
		r.Host = "localhost:1234"
		r.Header.Set("Upgrade", "websocket")
		r.Header.Set("Connection", "Upgrade")
		r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		r.Header.Set("Sec-WebSocket-Version", "13")
	}
	cases := []struct {
		name       string
		method     string
		breakIt    func(r *http.Request)
		status     int
		header     string // a header the answer must carry…
		headerWant string // …with this value
		body       string
	}{
		{"POST instead of GET", http.MethodPost, nil, 405, "Allow", "GET", "GET request"},
		{"HTTP/1.0", "", func(r *http.Request) { r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.0", 1, 0 }, 400, "", "", "HTTP/1.1"},
		{"no Upgrade header", "", func(r *http.Request) { r.Header.Del("Upgrade") }, 400, "", "", "Upgrade"},
		{"Upgrade: h2c", "", func(r *http.Request) { r.Header.Set("Upgrade", "h2c") }, 400, "", "", "Upgrade"},
		{"no Connection header", "", func(r *http.Request) { r.Header.Del("Connection") }, 400, "", "", "Connection"},
		{"Connection: keep-alive only", "", func(r *http.Request) { r.Header.Set("Connection", "keep-alive") }, 400, "", "", "Connection"},
		{"no key", "", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Key") }, 400, "", "", "Sec-WebSocket-Key"},
		{"key not base64", "", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Key", "not base64!!") }, 400, "", "", "Sec-WebSocket-Key"},
		{"key of 15 bytes", "", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA") }, 400, "", "", "16 bytes"},
		{"two keys", "", func(r *http.Request) { r.Header.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") }, 400, "", "", "Sec-WebSocket-Key"},
		{"version 8", "", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Version", "8") }, 426, "Sec-WebSocket-Version", "13", "13"},
		{"no version", "", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Version") }, 426, "Sec-WebSocket-Version", "13", "13"},
		{"cross-site Origin", "", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, 403, "", "", "evil.example"},
		{"a body with Content-Length", "", func(r *http.Request) { r.ContentLength = 5 }, 400, "", "", "no body"},
		{"a chunked body", "", func(r *http.Request) { r.ContentLength, r.TransferEncoding = -1, []string{"chunked"} }, 400, "", "", "no body"},
		{"Origin null", "", func(r *http.Request) { r.Header.Set("Origin", "null") }, 403, "", "", "cross-origin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			r := httptest.NewRequest(method, "/ws", nil)
			good(r)
			if tc.breakIt != nil {
				tc.breakIt(r)
			}
			w := httptest.NewRecorder()
			conn, err := Upgrade(w, r, nil)
			assert.Nil(t, conn)
			var herr *HandshakeError
			assert.ErrorAs(t, err, &herr)
			assert.Equal(t, tc.status, w.Code)
			if tc.header != "" {
				assert.Equal(t, tc.headerWant, w.Header().Get(tc.header))
			}
			assert.Contains(t, w.Body.String(), tc.body)
		})
	}
}

func TestHasToken(t *testing.T) {
	cases := []struct {
		value string
		want  bool
	}{
		{"Upgrade", true},
		{"upgrade", true},
		{"keep-alive, Upgrade", true},
		{"keep-alive,upgrade ", true},
		{"keep-alive", false},
		{"upgraded", false},
		{"", false},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			h := http.Header{}
			h.Set("Connection", tc.value)
			assert.Equal(t, tc.want, hasToken(h, "Connection", "upgrade"))
		})
	}
}

// TestSameOrigin: Upgrade's default origin check, case by case.
func TestSameOrigin(t *testing.T) {
	cases := []struct {
		name, host, origin string
		want               bool
	}{
		{"no Origin: not a browser page", "localhost:1234", "", true},
		{"same host and port", "localhost:1234", "http://localhost:1234", true},
		{"host compared without regard to case", "LocalHost:1234", "http://localhost:1234", true},
		{"another port is another origin", "localhost:1234", "http://localhost:8080", false},
		{"a look-alike host", "localhost:1234", "http://localhost:1234.evil.example", false},
		{"the opaque origin null", "localhost:1234", "null", false},
		{"garbage", "localhost:1234", "::not a url", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://"+tc.host+"/", nil)
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			assert.Equal(t, tc.want, SameOrigin(r))
		})
	}
}
