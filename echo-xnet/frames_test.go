package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestFrameEnds: the tracker finds every frame's end and opcode, whatever
// the header's size and however the bytes are cut up.
func TestFrameEnds(t *testing.T) {
	unmasked := func(op byte, n int) []byte {
		f := webtest.ClientFrame(op, make([]byte, n))
		f[1] &^= 0x80 // as a server sends it: no mask bit, no key
		return append(f[:len(f)-n-4], f[len(f)-n:]...)
	}
	cases := []struct {
		name  string
		frame []byte
		op    byte
	}{
		{"empty, masked", webtest.ClientFrame(9, nil), 9},
		{"125 bytes, masked", webtest.ClientFrame(1, make([]byte, 125)), 1},
		{"126 bytes: a 16-bit length", webtest.ClientFrame(2, make([]byte, 126)), 2},
		{"65536 bytes: a 64-bit length", webtest.ClientFrame(2, make([]byte, 65536)), 2},
		{"empty, unmasked", unmasked(8, 0), 8},
		{"300 bytes, unmasked", unmasked(1, 300), 1},
	}
	for _, tc := range cases {
		stream := bytes.Repeat(tc.frame, 3)
		for _, chunk := range []int{1, 7, len(stream)} {
			var f frameEnds
			ends := 0
			for i := 0; i < len(stream); i += chunk {
				for rest := stream[i:min(i+chunk, len(stream))]; len(rest) > 0; {
					n, ended := f.next(rest)
					rest = rest[n:]
					if ended {
						ends++
						assert.Equal(t, tc.op, f.last, tc.name)
					}
				}
			}
			assert.Equal(t, 3, ends, "%s, in chunks of %d", tc.name, chunk)
		}
	}
}
