package handshake

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMaskWords: maskWords gives mask's bytes for every length, every
// starting position and pieces of any size.
func TestMaskWords(t *testing.T) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	payload := make([]byte, 300)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	for n := range len(payload) {
		for pos := range 5 {
			want := bytes.Clone(payload[:n])
			got := bytes.Clone(payload[:n])
			assert.Equal(t, mask(key, pos, want), maskWords(key, pos, got))
			assert.Equal(t, want, got, "n=%d pos=%d", n, pos)
		}
	}
	// In pieces, as readPayload unmasks: 1, 2, 3, ... bytes at a time.
	want := bytes.Clone(payload)
	mask(key, 0, want)
	got := bytes.Clone(payload)
	for off, pos, step := 0, 0, 1; off < len(got); step++ {
		end := min(off+step, len(got))
		pos = maskWords(key, pos, got[off:end])
		off = end
	}
	assert.Equal(t, want, got)
}

// FuzzMaskWords: for any bytes, key and position, maskWords is mask.
func FuzzMaskWords(f *testing.F) {
	f.Add([]byte("Hello, world! and some more bytes"), uint32(0x37fa213d), 3)
	f.Fuzz(func(t *testing.T, b []byte, k uint32, pos int) {
		key := [4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}
		pos &= 0xffff
		want, got := bytes.Clone(b), bytes.Clone(b)
		assert.Equal(t, mask(key, pos, want), maskWords(key, pos, got))
		assert.Equal(t, want, got)
	})
}

// BenchmarkMask compares the plain rule with the word-wise one.
//
//	go test -run '^$' -bench Mask ./handshake
func BenchmarkMask(b *testing.B) {
	key := [4]byte{1, 2, 3, 4}
	for _, size := range []int{32, 1 << 10, 64 << 10} {
		buf := make([]byte, size)
		for _, f := range []struct {
			name string
			fn   func([4]byte, int, []byte) int
		}{{"bytes", mask}, {"words", maskWords}, {"copy", func(k [4]byte, pos int, b []byte) int {
			return maskCopy(k, pos, b, b)
		}}} {
			b.Run(fmt.Sprintf("%s/%dB", f.name, size), func(b *testing.B) {
				b.SetBytes(int64(size))
				for b.Loop() {
					f.fn(key, 1, buf)
				}
			})
		}
	}
}

// TestMaskCopy: maskCopy writes mask's bytes into dst for every length and
// starting position, leaves src as it was and dst past len(src) untouched.
func TestMaskCopy(t *testing.T) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(i * 7)
	}
	orig := bytes.Clone(src)
	for n := range len(src) {
		for pos := range 5 {
			want := bytes.Clone(src[:n])
			wantEnd := mask(key, pos, want)
			dst := bytes.Repeat([]byte{0xEE}, n+3)
			assert.Equal(t, wantEnd, maskCopy(key, pos, dst, src[:n]))
			assert.Equal(t, want, dst[:n], "n=%d pos=%d", n, pos)
			assert.Equal(t, []byte{0xEE, 0xEE, 0xEE}, dst[n:], "n=%d pos=%d: wrote past the end", n, pos)
		}
	}
	assert.Equal(t, orig, src, "maskCopy changed its source")
}

// FuzzMaskCopy: for any bytes, key and position, maskCopy is a copy and mask.
func FuzzMaskCopy(f *testing.F) {
	f.Add([]byte("Hello, world! and some more bytes, more than thirty-two"), uint32(0x37fa213d), 3)
	f.Fuzz(func(t *testing.T, b []byte, k uint32, pos int) {
		key := [4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}
		pos &= 0xffff
		want := bytes.Clone(b)
		mask(key, pos, want)
		got := make([]byte, len(b))
		maskCopy(key, pos, got, b)
		assert.Equal(t, want, got)
	})
}
