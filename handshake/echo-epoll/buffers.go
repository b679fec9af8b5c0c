package main

import "sync"

// bufSize is the size of a pooled buffer. A connection takes one only
// while it is in the middle of something: the rest of a frame, a
// fragmented message, an echo the peer has not read yet.
const bufSize = 4 << 10

// ANCHOR: pool

// pool holds whole 4 KiB buffers that no connection owns. A buffer that
// grew past bufSize (a big message) is left to the garbage collector.
var pool = sync.Pool{New: func() any { b := make([]byte, 0, bufSize); return &b }}

// getBuf takes an empty buffer: from here on, it belongs to one connection.
func getBuf() *[]byte { return pool.Get().(*[]byte) }

// putBuf gives a connection's buffer back. It is zeroed first, so no byte
// of one connection's traffic can ever show up in another's, whatever a
// bug might slice out of it.
func putBuf(b *[]byte) {
	if cap(*b) != bufSize {
		return
	}
	clear((*b)[:bufSize])
	*b = (*b)[:0]
	pool.Put(b)
}

// ANCHOR_END: pool
