package origin

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAllow(t *testing.T) {
	cases := []struct {
		name   string
		origin string
		extra  []string
		want   bool
	}{
		{"no Origin: a program, not a page", "", nil, true},
		{"same origin", "http://localhost:1234", nil, true},
		{"another port", "http://localhost:8080", nil, false},
		{"another site", "http://evil.example", nil, false},
		{"a look-alike", "http://localhost:1234.evil.example", nil, false},
		{"null", "null", nil, false},
		{"listed", "http://localhost:3000", []string{"http://localhost:3000"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://localhost:1234/ws", nil)
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			assert.Equal(t, tc.want, Allow(r, tc.extra))
		})
	}
}
