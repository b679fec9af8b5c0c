package policy

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOriginsAllow(t *testing.T) {
	cases := []struct {
		name    string
		allowed []string // values given to -allow-origin
		host    string
		origin  string
		want    bool
	}{
		{"no Origin header: not a browser page", nil, "localhost:1234", "", true},
		{"same host and port", nil, "localhost:1234", "http://localhost:1234", true},
		{"same origin over TLS", nil, "example.com", "https://example.com", true},
		{"host compared without regard to case", nil, "LocalHost:1234", "http://localhost:1234", true},
		{"another port is another origin", nil, "localhost:1234", "http://localhost:8080", false},
		{"another host", nil, "localhost:1234", "http://evil.example", false},
		{"a look-alike host", nil, "localhost:1234", "http://localhost:1234.evil.example", false},
		{"the opaque origin null", nil, "localhost:1234", "null", false},
		{"garbage", nil, "localhost:1234", "::not a url", false},
		{"listed origin", []string{"http://localhost:3000"}, "localhost:1234", "http://localhost:3000", true},
		{"listed with a trailing slash", []string{"http://localhost:3000/"}, "localhost:1234", "http://localhost:3000", true},
		{"comma-separated list", []string{"http://a.example, http://b.example"}, "localhost:1234", "http://b.example", true},
		{"a list admits only what it names", []string{"http://a.example"}, "localhost:1234", "http://c.example", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var o Origins
			for _, a := range tc.allowed {
				assert.NoError(t, o.Set(a))
			}
			r := httptest.NewRequest("GET", "/ws", nil)
			r.Host = tc.host
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			assert.Equal(t, tc.want, o.Allow(r))
		})
	}
}

// TestOriginsSetRefusesWhatCannotMatch: an -allow-origin value that no
// browser's Origin header could equal is refused at start, with a message
// that shows the right form.
func TestOriginsSetRefusesWhatCannotMatch(t *testing.T) {
	cases := []struct {
		value string
		err   string // part of the error message; "" for accepted
	}{
		{"http://localhost:3000", ""},
		{"https://a.example/", ""},
		{"chrome-extension://abcdefghijklmnop", ""},
		{"localhost:3000", "add a scheme: http://localhost:3000"},
		{"a.example", "add a scheme"},
		{"*", "wildcards"},
		{"https://*.example", "wildcards"},
		{"null", "cannot be admitted"},
		{"http://a.example/app", "here http://a.example"},
		{"http://a.example?x=1", "more than an origin"},
		{"http://a.example#top", "more than an origin"},
		{"http://user@a.example", "more than an origin"},
		{"http://", "has no host"},
		{"http://a.example, b.example", "add a scheme"},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			var o Origins
			err := o.Set(tc.value)
			if tc.err == "" {
				assert.NoError(t, err)
				return
			}
			if assert.Error(t, err) {
				assert.Contains(t, err.Error(), tc.err)
			}
			assert.Empty(t, o.String(), "a refused list adds nothing")
		})
	}
}
