package acceptkey

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
			assert.Equal(t, tc.want, AcceptKey(tc.key))
		})
	}
}

func TestAcceptKeyHashesTheKeyAsText(t *testing.T) {
	// The key is hashed as the 24 characters the client sent, not decoded
	// from base64 first. (Value computed with Python's hashlib.)
	assert.Equal(t, "ICX+Yqv66kxgM0FcWaLWlFLwTAI=", AcceptKey("AAAAAAAAAAAAAAAAAAAAAA=="))
}
