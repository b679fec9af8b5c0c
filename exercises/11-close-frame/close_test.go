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
		rule   string
	}{
		{"normal with a reason", body(1000, "bye"), 1000, "bye", "§5.5.1: a 2-byte code in network order, then a UTF-8 reason"},
		{"going away", body(1001, ""), 1001, "", "§5.5.1: the reason may be empty"},
		{"the last code of 1007–1014", body(1014, ""), 1014, "", "§7.4.1 and the IANA registry (§11.7): 1014 may be sent"},
		{"an application's code", body(4000, "é"), 4000, "é", "§7.4.2: 4000–4999 are for applications"},
		{"the last application code", body(4999, ""), 4999, "", "§7.4.2: 4999 is the last code that may be sent"},
		{"a registered library's code", body(3000, ""), 3000, "", "§7.4.2: 3000–3999 are registered with IANA, and may be sent"},
		{"no body at all", nil, 1005, "", "§7.1.5: a close frame with no status code is reported as 1005"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, reason, fail := ParseClose(tc.body)
			assert.Zero(t, fail, "RFC 6455 %s: this body is valid", tc.rule)
			assert.Equal(t, tc.code, code, "RFC 6455 %s", tc.rule)
			assert.Equal(t, tc.reason, reason, "RFC 6455 %s", tc.rule)
		})
	}
}

func TestParseCloseBroken(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		fail int
		rule string
	}{
		{"1-byte body", []byte{0x03}, 1002, "§5.5.1: a body, if any, starts with a 2-byte code, so 1 byte is a protocol error"},
		{"code 999", body(999, ""), 1002, "§7.4.2: 0–999 are not used"},
		{"code 1004 (reserved)", body(1004, ""), 1002, "§7.4.1: 1004 is reserved"},
		{"code 1005 (never sent)", body(1005, ""), 1002, "§7.4.1: 1005 must not be sent in a close frame"},
		{"code 1006 (never sent)", body(1006, ""), 1002, "§7.4.1: 1006 must not be sent in a close frame"},
		{"code 1015 (never sent)", body(1015, ""), 1002, "§7.4.1: 1015 must not be sent in a close frame"},
		{"code 2999 (unassigned)", body(2999, ""), 1002, "§7.4.2: 1000–2999 belong to the protocol; unassigned ones are not sent"},
		{"code 5000", body(5000, ""), 1002, "§7.4.2: codes above 4999 are not defined"},
		{"reason not UTF-8", body(1000, "\xff"), 1007, "§5.5.1 and §8.1: the reason must be UTF-8, else 1007"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, fail := ParseClose(tc.body)
			assert.Equal(t, tc.fail, fail, "RFC 6455 %s", tc.rule)
		})
	}
}
