package handshake

import (
	"math/bits"
	"sync"
)

// Message and frame buffers come from pools by size class: 4 KiB, 8 KiB,
// and so on, doubling, up to 4 MiB. A connection takes a buffer only while a
// message is in flight and gives it back before it waits for the next one,
// so an idle connection owns none, and in the steady state an echo of any
// size up to the default limit allocates nothing: the buffer the last
// message of that size used is waiting in its class.
//
// Only the goroutine that took a buffer uses it until it gives it back, so a
// buffer is never reachable from two connections at once. A buffer from
// the pool still holds the bytes of its last user; every caller writes
// before it reads, and hands out only what it wrote (b[:len]).
const (
	minClassShift = 12 // the smallest class: 4 KiB
	numClasses    = 11 // ... the largest: 4 KiB << 10 = 4 MiB
)

// maxPooled is the largest buffer a pool keeps. A bigger one (a message
// over 4 MiB, allowed only by SetMaxMessageSize) is the GC's.
const maxPooled = 1 << (minClassShift + numClasses - 1)

var pools [numClasses]sync.Pool

// classOf is the smallest class whose buffers hold n bytes (n ≤ maxPooled).
func classOf(n int) int {
	if n <= 1<<minClassShift {
		return 0
	}
	return bits.Len(uint(n-1)) - minClassShift
}

// ANCHOR: get-buffer

// getBuffer returns an empty buffer with room for at least n bytes: from
// its size class's pool if one is there, else new, of the class's size.
func getBuffer(n int) *[]byte {
	if n > maxPooled {
		b := make([]byte, 0, n)
		return &b
	}
	k := classOf(n)
	if bp, ok := pools[k].Get().(*[]byte); ok {
		return bp
	}
	b := make([]byte, 0, 1<<(minClassShift+k))
	return &b
}

// ANCHOR_END: get-buffer

// putBuffer gives a buffer back to the pool of the largest class it can
// serve. The caller must not use it afterwards.
func putBuffer(bp *[]byte) {
	c := cap(*bp)
	if c < 1<<minClassShift || c > maxPooled {
		return
	}
	*bp = (*bp)[:0]
	pools[bits.Len(uint(c))-1-minClassShift].Put(bp)
}
