package handshake

import (
	"fmt"
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
		{"RFC 6455 §1.3's sample", "dGhlIHNhbXBsZSBub25jZQ==", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
		{"the key is hashed as text, not decoded (value from Python hashlib)", "AAAAAAAAAAAAAAAAAAAAAA==", "ICX+Yqv66kxgM0FcWaLWlFLwTAI="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, AcceptKey(tc.key))
		})
	}
}

// The worked example from the original chapter: the client's key, and the
// value the server must send back in Sec-WebSocket-Accept.
func ExampleAcceptKey() {
	fmt.Println(AcceptKey("f7cb4ezEAl6C3wRaU6JORA=="))
	// Output: rE91AJhfC+6JdVcVXOGJEADEJdQ=
}
