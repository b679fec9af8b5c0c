package closeframe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCloseBody(t *testing.T) {
	cases := []struct {
		name   string
		code   int
		reason string
		want   []byte
		rule   string
	}{
		{"normal, with a reason", 1000, "bye", []byte{0x03, 0xE8, 'b', 'y', 'e'}, "§5.5.1: the code in network (big-endian) order, then the reason"},
		{"an application's code, no reason", 4000, "", []byte{0x0F, 0xA0}, "§5.5.1: the reason may be empty; §7.4.2: 4000–4999 are for applications"},
		{"a reason of exactly 123 bytes", 1001, strings.Repeat("a", 123), append([]byte{0x03, 0xE9}, strings.Repeat("a", 123)...),
			"§5.5: a control frame's payload is at most 125 bytes, so 2 for the code and 123 for the reason fit whole"},
		{"a reason of 124 bytes", 1001, strings.Repeat("a", 124), append([]byte{0x03, 0xE9}, strings.Repeat("a", 123)...),
			"§5.5: a control frame's payload is at most 125 bytes: the reason is cut to 123"},
		{"124 bytes of é", 1000, strings.Repeat("é", 62), append([]byte{0x03, 0xE8}, strings.Repeat("é", 61)...),
			"§5.5.1: the reason must stay UTF-8, so the cut falls before the é that would be split (122 bytes, not 123)"},
		{"a, then 41 €", 1000, "a" + strings.Repeat("€", 41), append([]byte{0x03, 0xE8}, "a"+strings.Repeat("€", 40)...),
			"§5.5.1: the reason must stay UTF-8: a 3-byte € that does not fit whole is left out (121 bytes)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CloseBody(tc.code, tc.reason)
			require.NoError(t, err, "RFC 6455 %s", tc.rule)
			require.Equal(t, tc.want, got, "RFC 6455 %s", tc.rule)
			assert.LessOrEqual(t, len(got), 125, "RFC 6455 §5.5: a control frame's payload is at most 125 bytes")
			assert.True(t, utf8.Valid(got[2:]), "RFC 6455 §5.5.1: the reason must be UTF-8")
		})
	}
}

func TestCloseBodyRefuses(t *testing.T) {
	cases := []struct {
		name   string
		code   int
		reason string
		want   error
		rule   string
	}{
		{"1005", 1005, "", ErrCode, "§7.4.1: 1005 is for reporting a close without a code, never sent"},
		{"1006", 1006, "", ErrCode, "§7.4.1: 1006 is for reporting a dropped connection, never sent"},
		{"1015", 1015, "", ErrCode, "§7.4.1: 1015 is for reporting a failed TLS handshake, never sent"},
		{"1004", 1004, "", ErrCode, "§7.4.1: 1004 is reserved"},
		{"999", 999, "", ErrCode, "§7.4.2: 0–999 are not used"},
		{"2999", 2999, "", ErrCode, "§7.4.2: 1016–2999 are unassigned"},
		{"5000", 5000, "", ErrCode, "§7.4.2: codes above 4999 are not defined"},
		{"0", 0, "", ErrCode, "§7.4.2: 0 is not a close code"},
		{"a reason that is not UTF-8", 1000, "\xff", ErrReason, "§5.5.1: the reason must be UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CloseBody(tc.code, tc.reason)
			assert.ErrorIs(t, err, tc.want, "RFC 6455 %s", tc.rule)
			assert.Nil(t, got, "a refused close body is nil")
		})
	}
}

// TestCloseBodyRoundTrip: what CloseBody builds, ParseClose reads back.
func TestCloseBodyRoundTrip(t *testing.T) {
	for _, code := range []int{1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 3999, 4000, 4999} {
		body, err := CloseBody(code, "ça va")
		require.NoError(t, err, "RFC 6455 §7.4: %d may be sent", code)
		got, reason, fail := ParseClose(body)
		assert.Zero(t, fail, "RFC 6455 §5.5.1: a body CloseBody built for %d is valid", code)
		assert.Equal(t, code, got, "RFC 6455 §5.5.1: the code read back")
		assert.Equal(t, "ça va", reason, "RFC 6455 §5.5.1: the reason read back")
	}
}
