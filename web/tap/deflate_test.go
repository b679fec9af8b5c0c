package tap

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
)

// compressor compresses messages as RFC 7692 §7.2.1 says: deflate, a sync
// flush, and the flush's last 4 bytes (00 00 ff ff) cut off. With
// takeover, one flate.Writer keeps its window from message to message.
type compressor struct {
	takeover bool
	buf      bytes.Buffer
	w        *flate.Writer
}

func (c *compressor) compress(t *testing.T, msg []byte) []byte {
	if c.w == nil || !c.takeover {
		c.buf.Reset()
		w, err := flate.NewWriter(&c.buf, flate.DefaultCompression)
		require.NoError(t, err)
		c.w = w
	}
	c.buf.Reset()
	_, err := c.w.Write(msg)
	require.NoError(t, err)
	require.NoError(t, c.w.Flush())
	out := bytes.Clone(c.buf.Bytes())
	require.True(t, bytes.HasSuffix(out, []byte{0, 0, 0xff, 0xff}))
	return out[:len(out)-4]
}

// compressedFrame is a client frame with RSV1 set: the first (here, the
// only) frame of a compressed message, masked with rfcKey.
func compressedFrame(op handshake.Opcode, fin bool, rsv1 bool, payload []byte) []byte {
	h := handshake.FrameHeader{Fin: fin, Opcode: op, Masked: true, Length: uint64(len(payload)), Key: rfcKey}
	if rsv1 {
		h.RSV = 4
	}
	body := bytes.Clone(payload)
	handshake.ApplyMask(rfcKey, 0, body)
	return append(handshake.AppendFrameHeader(nil, h), body...)
}

// TestInflate: the frames of compressed messages show what the messages
// say, with context takeover (the second "Hello" is a back-reference into
// the first) and without, whole or in fragments with a ping between them.
func TestInflate(t *testing.T) {
	msgs := []string{"Hello, Hello, Hello", "Hello, Hello, Hello", strings.Repeat("y", 70000)}
	for _, takeover := range []bool{true, false} {
		t.Run(map[bool]string{true: "context takeover", false: "no context takeover"}[takeover], func(t *testing.T) {
			var got []*Frame
			s := stream{dir: In, emit: func(f *Frame) { got = append(got, f) }, z: &inflater{takeover: takeover}}
			c := &compressor{takeover: takeover}
			var sizes []int
			for _, m := range msgs {
				z := c.compress(t, []byte(m))
				sizes = append(sizes, len(z))
				s.feed(compressedFrame(handshake.OpText, true, true, z))
			}
			require.Len(t, got, len(msgs))
			for i, m := range msgs {
				f := got[i]
				assert.Equal(t, []any{true, byte(4), uint64(sizes[i]), len(m), ""}, []any{f.Compressed, f.RSV, f.Len, f.InflatedLen, f.InflateError}, "message %d", i)
				require.NotNil(t, f.Text, "message %d", i)
				assert.Equal(t, m[:min(len(m), 32)], *f.Text, "message %d", i)
			}
			if takeover {
				assert.Less(t, sizes[1], sizes[0], "the second message refers to the first")
			}
		})
	}

	t.Run("fragments, a ping between them", func(t *testing.T) {
		var got []*Frame
		s := stream{dir: In, emit: func(f *Frame) { got = append(got, f) }, z: &inflater{takeover: true}}
		z := (&compressor{takeover: true}).compress(t, []byte("Hello in two fragments"))
		s.feed(compressedFrame(handshake.OpText, false, true, z[:3]))
		s.feed(compressedFrame(handshake.OpPing, true, false, []byte("now")))
		s.feed(compressedFrame(handshake.OpContinuation, true, false, z[3:]))
		require.Len(t, got, 3)
		assert.True(t, got[0].Compressed)
		assert.Nil(t, got[0].Text, "the first fragment: compressed, not yet inflated")
		assert.Equal(t, []any{false, "now"}, []any{got[1].Compressed, *got[1].Text}, "a control frame is never compressed")
		assert.True(t, got[2].Compressed)
		assert.Equal(t, "Hello in two fragments", *got[2].Text)
	})

	t.Run("a message without RSV1 is not compressed", func(t *testing.T) {
		var got *Frame
		s := stream{dir: In, emit: func(f *Frame) { got = f }, z: &inflater{takeover: true}}
		s.feed(clientFrame(handshake.OpText, []byte("Hello")))
		assert.False(t, got.Compressed)
		assert.Equal(t, "Hello", *got.Text)
	})
}

// TestInflateIsBounded: a zip bomb and a message too big to inflate cost
// the inspector its bounds, not the machine; with context takeover, a
// message that went uninflated means the next ones cannot be.
func TestInflateIsBounded(t *testing.T) {
	t.Run("a bomb: 64 KiB that inflate to 64 MiB", func(t *testing.T) {
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, flate.BestCompression)
		require.NoError(t, err)
		zeros := make([]byte, 1<<20)
		for buf.Len() < 60<<10 {
			_, err = w.Write(zeros)
			require.NoError(t, err)
		}
		require.NoError(t, w.Flush())
		bomb := buf.Bytes()[:buf.Len()-4]

		var got *Frame
		s := stream{dir: In, emit: func(f *Frame) { got = f }, z: &inflater{takeover: true}}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s.feed(compressedFrame(handshake.OpBinary, true, true, bomb))
		runtime.ReadMemStats(&after)
		require.NotNil(t, got)
		assert.Contains(t, got.InflateError, "more than 8 MiB")
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4<<20), "bytes allocated to refuse the bomb")
	})

	t.Run("over 64 KiB compressed; then the window is lost", func(t *testing.T) {
		noise := make([]byte, 80<<10)
		_, _ = rand.Read(noise)
		c := &compressor{takeover: true}
		var got []*Frame
		s := stream{dir: In, emit: func(f *Frame) { got = append(got, f) }, z: &inflater{takeover: true}}
		s.feed(compressedFrame(handshake.OpBinary, true, true, c.compress(t, noise)))
		s.feed(compressedFrame(handshake.OpText, true, true, c.compress(t, []byte("Hello"))))
		require.Len(t, got, 2)
		assert.Contains(t, got[0].InflateError, "over 64 KiB")
		assert.Contains(t, got[1].InflateError, "window is gone")
	})
}

func TestInflatersFromTheResponse(t *testing.T) {
	cases := []struct {
		ext         string
		on          bool
		inTakeover  bool
		outTakeover bool
	}{
		{"", false, false, false},
		{"permessage-deflate", true, true, true},
		{"permessage-deflate; server_no_context_takeover; client_no_context_takeover", true, false, false},
		{"permessage-deflate; client_max_window_bits=15; server_no_context_takeover", true, true, false},
		{"x-webkit-deflate-frame", false, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.ext, func(t *testing.T) {
			h := http.Header{}
			if tc.ext != "" {
				h.Set("Sec-WebSocket-Extensions", tc.ext)
			}
			in, out := inflaters(h)
			require.Equal(t, tc.on, in != nil && out != nil)
			if tc.on {
				assert.Equal(t, []bool{tc.inTakeover, tc.outTakeover}, []bool{in.takeover, out.takeover})
			}
		})
	}
}
