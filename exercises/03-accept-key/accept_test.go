package acceptkey

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcceptKey(t *testing.T) {
	cases := []struct {
		name string
		key  string
		want string
	}{
		{"the original chapter's worked example", "f7cb4ezEAl6C3wRaU6JORA==", "rE91AJhfC+6JdVcVXOGJEADEJdQ="},
		{"the sample in RFC 6455 §1.3", "dGhlIHNhbXBsZSBub25jZQ==", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, AcceptKey(tc.key),
				"RFC 6455 §4.2.2: Sec-WebSocket-Accept is base64(SHA-1(key + \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\"))")
		})
	}
}

// TestAcceptKeyIsPaddedStandardBase64: 20 bytes of SHA-1 are 28 characters
// of standard base64, the last one '='.
func TestAcceptKeyIsPaddedStandardBase64(t *testing.T) {
	got := AcceptKey("dGhlIHNhbXBsZSBub25jZQ==")
	require.Len(t, got, 28, "RFC 6455 §4.2.2: the accept value is the padded base64 of a 20-byte hash: 28 characters ending in '='")
	raw, err := base64.StdEncoding.DecodeString(got)
	require.NoError(t, err, "RFC 6455 §4.2.2 uses base64 as in RFC 4648 §4 (the standard alphabet, with '+' and '/'), got %q", got)
	assert.Len(t, raw, 20, "RFC 6455 §4.2.2: the value encodes the 20 bytes of the SHA-1 hash")
}

func TestAcceptKeyHashesTheKeyAsText(t *testing.T) {
	// The key is hashed as the 24 characters the client sent, not decoded
	// from base64 first. (Value computed with Python's hashlib.)
	assert.Equal(t, "ICX+Yqv66kxgM0FcWaLWlFLwTAI=", AcceptKey("AAAAAAAAAAAAAAAAAAAAAA=="),
		"RFC 6455 §4.2.2: the key is concatenated as sent, a string of 24 characters; it is never base64-decoded")
}
