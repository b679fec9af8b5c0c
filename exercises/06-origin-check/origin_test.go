package origin

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAllow(t *testing.T) {
	cases := []struct {
		name   string
		host   string // the request's Host; localhost:1234 if empty
		origin string
		extra  []string
		want   bool
		rule   string
	}{
		{"no Origin: a program, not a page", "", "", nil, true,
			"RFC 6455 §4.1: browsers send Origin; a client that is not a browser may not, and has no cookies to abuse"},
		{"same origin", "", "http://localhost:1234", nil, true,
			"RFC 6455 §10.2: the page's origin is the server's own host:port"},
		{"same origin, Host in capitals", "LocalHost:1234", "http://localhost:1234", nil, true,
			"RFC 6454 §6.1 and RFC 9110 §4.2.3: host names compare case-insensitively"},
		{"another port", "", "http://localhost:8080", nil, false,
			"RFC 6454 §5: another port is another origin"},
		{"another site", "", "http://evil.example", nil, false,
			"RFC 6455 §10.2: a page of another site is exactly what the check refuses"},
		{"a look-alike", "", "http://localhost:1234.evil.example", nil, false,
			"RFC 6454 §5: origins are compared whole, not by prefix or substring"},
		{"a subdomain look-alike", "", "http://evil.localhost:1234", nil, false,
			"RFC 6454 §5: origins are compared whole, not by suffix or substring"},
		{"user info look-alike", "", "http://localhost:1234@evil.example", nil, false,
			"RFC 3986 §3.2: in scheme://localhost:1234@evil.example the host is evil.example"},
		{"null", "", "null", nil, false,
			"RFC 6454 §7.3: a sandboxed or file: page sends \"null\", which is no host at all"},
		{"listed", "", "http://localhost:3000", []string{"http://localhost:3000"}, true,
			"the policy: an origin in extra is allowed"},
		{"not listed", "", "http://localhost:3001", []string{"http://localhost:3000"}, false,
			"the policy: only the origins in extra, exactly"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://localhost:1234/ws", nil)
			if tc.host != "" {
				r.Host = tc.host
			}
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			verb := map[bool]string{true: "allow", false: "refuse"}[tc.want]
			assert.Equal(t, tc.want, Allow(r, tc.extra), "%s: %s Origin %q for Host %q", tc.rule, verb, tc.origin, r.Host)
		})
	}
}
