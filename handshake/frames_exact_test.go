package handshake

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServerFramesAreExactAtEverySize: a server's data frame is its header
// and then the payload, byte for byte, with each of the three length
// encodings of §5.2 on both sides of their lines.
func TestServerFramesAreExactAtEverySize(t *testing.T) {
	for _, size := range []int{0, 125, 126, 65535, 65536, 1 << 20} {
		t.Run(fmt.Sprintf("%dB", size), func(t *testing.T) {
			c, raw := pipePair(t)
			payload := make([]byte, size)
			for i := range payload {
				payload[i] = byte(i*7 + i>>8)
			}
			want := appendHeader(nil, &header{fin: true, op: OpBinary, length: uint64(size)})
			want = append(want, payload...)
			wrote := make(chan error, 1)
			go func() { wrote <- c.WriteMessage(OpBinary, payload) }()
			got := make([]byte, len(want))
			_, err := io.ReadFull(raw, got)
			require.NoError(t, err)
			require.NoError(t, <-wrote)
			assert.True(t, bytes.Equal(want, got), "the frame of %d bytes differs", size)
		})
	}
}
