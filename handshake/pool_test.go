package handshake

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestBufferClasses: a buffer from getBuffer always holds what was asked,
// and is less than twice its class's size (a buffer given back files under
// the largest class it can serve, so an odd-sized one can serve a class
// below its size, never one above).
func TestBufferClasses(t *testing.T) {
	for _, n := range []int{0, 1, 4095, 4096, 4097, 8192, 65536, 65550, 1 << 20, maxPooled, maxPooled + 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			bp := getBuffer(n)
			assert.Zero(t, len(*bp))
			assert.GreaterOrEqual(t, cap(*bp), n)
			if n <= maxPooled {
				size := 1 << (minClassShift + classOf(n))
				assert.GreaterOrEqual(t, size, n)
				assert.Less(t, size, max(2*n, 4097), "a class at most twice what was asked")
				assert.Less(t, cap(*bp), 2*size)
			}
			putBuffer(bp)
		})
	}
	// A buffer of an odd size serves the class below it, never above.
	odd := make([]byte, 10, 12000)
	putBuffer(&odd)
	assert.Zero(t, len(odd), "given back empty")
	for range 100 { // the pool may drop it; it never returns a smaller one
		bp := getBuffer(8192)
		assert.GreaterOrEqual(t, cap(*bp), 8192)
	}
}
