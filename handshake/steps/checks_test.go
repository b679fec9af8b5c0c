package steps

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// ANCHOR: test-checks

// TestRefusals sends handshakes that break one rule of RFC 6455 §4.2.1
// each, and one that breaks none: every one gets its own status.
func TestRefusals(t *testing.T) {
	cases := []struct {
		name   string
		method string
		header map[string]string // "" deletes the header
		status int
		extra  string // a header the answer must carry, "Name: value"
	}{
		{"a good handshake", "GET", nil, 101, ""},
		{"a POST", "POST", nil, 405, "Allow: GET"},
		{"no Upgrade header", "GET", map[string]string{"Upgrade": ""}, 400, ""},
		{"no key", "GET", map[string]string{"Sec-WebSocket-Key": ""}, 400, ""},
		{"a 3-byte key", "GET", map[string]string{"Sec-WebSocket-Key": "YWJj"}, 400, ""},
		{"version 8", "GET", map[string]string{"Sec-WebSocket-Version": "8"},
			426, "Sec-WebSocket-Version: 13"},
		{"a page from another site", "GET",
			map[string]string{"Origin": "http://evil.example"}, 403, ""},
	}
	var want []string
	for _, tc := range cases {
		want = append(want, answer(tc.name, tc.status, tc.extra))
	}
	forEachStep(t, "3-checks", func(t *testing.T, p *webtest.Process) {
		client := &http.Client{Timeout: 10 * time.Second}
		var got []string
		for _, tc := range cases {
			req, err := http.NewRequest(tc.method, p.URL+"/ws", nil)
			require.NoError(t, err)
			req.Header.Set("Upgrade", "websocket")
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			req.Header.Set("Sec-WebSocket-Version", "13")
			for name, value := range tc.header {
				req.Header.Del(name)
				if value != "" {
					req.Header.Set(name, value)
				}
			}
			resp, err := client.Do(req)
			require.NoError(t, err, tc.name)
			resp.Body.Close()
			extra := ""
			name, _, _ := strings.Cut(tc.extra, ": ")
			if value := resp.Header.Get(name); name != "" && value != "" {
				extra = name + ": " + value
			}
			got = append(got, answer(tc.name, resp.StatusCode, extra))
		}
		assert.Equal(t, strings.Join(want, "\n"), strings.Join(got, "\n"))
	})
}

// answer is one line of the table TestRefusals compares: the case, the
// status, and the extra header if any.
func answer(name string, status int, extra string) string {
	return strings.TrimSpace(fmt.Sprintf("%-25s %d %s", name+":", status, extra))
}

// ANCHOR_END: test-checks
