package webtest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNormalise: what changes from run to run becomes a placeholder, and
// nothing else does; in particular "0x" inside a word, as in a base64
// public key, is not a hex address (a key that held "0x" and hex digits
// once broke the tls-run-it recording).
func TestNormalise(t *testing.T) {
	cases := []struct{ in, want string }{
		{"--- PASS: TestX (0.25s)", "--- PASS: TestX (…s)"},
		{"took 12ms", "took …s"},
		{"dial 127.0.0.1:43119", "dial 127.0.0.1:PORT"},
		{"f(0xc000123abc, {0x22d8e5})", "f(0x…, {0x…})"},
		{"goroutine 17 [running]", "goroutine N [running]"},
		{"exit status 2", "exit status N"},
		{"e1BZOB2PdVTs6rA9yf0x5aqgojIMLrYCtlrEi9rebyU=", "e1BZOB2PdVTs6rA9yf0x5aqgojIMLrYCtlrEi9rebyU="},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Normalise(tc.in), "%q", tc.in)
	}
}
