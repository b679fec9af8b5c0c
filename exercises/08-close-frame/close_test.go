package closeframe

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func body(code int, reason string) []byte {
	return append([]byte{byte(code >> 8), byte(code)}, reason...)
}

func TestParseCloseValid(t *testing.T) {
	cases := []struct {
		name   string
		body   []byte
		code   int
		reason string
	}{
		{"normal with a reason", body(1000, "bye"), 1000, "bye"},
		{"going away", body(1001, ""), 1001, ""},
		{"an application's code", body(4000, "é"), 4000, "é"},
		{"no body at all", nil, 1005, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, reason, fail := ParseClose(tc.body)
			assert.Zero(t, fail)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.reason, reason)
		})
	}
}

func TestParseCloseBroken(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		fail int
	}{
		{"1-byte body", []byte{0x03}, 1002},
		{"code 999", body(999, ""), 1002},
		{"code 1004 (reserved)", body(1004, ""), 1002},
		{"code 1005 (never sent)", body(1005, ""), 1002},
		{"code 1006 (never sent)", body(1006, ""), 1002},
		{"code 1015 (never sent)", body(1015, ""), 1002},
		{"code 2999 (unassigned)", body(2999, ""), 1002},
		{"code 5000", body(5000, ""), 1002},
		{"reason not UTF-8", body(1000, "\xff"), 1007},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, fail := ParseClose(tc.body)
			assert.Equal(t, tc.fail, fail)
		})
	}
}
