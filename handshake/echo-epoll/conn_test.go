//go:build linux

package main

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// TestConnIsSmall: the state of an idle connection fits a 64-byte
// allocation (the chapter says so; a new field must earn its bytes).
func TestConnIsSmall(t *testing.T) {
	assert.LessOrEqual(t, unsafe.Sizeof(conn{}), uintptr(64))
	t.Logf("conn is %d bytes", unsafe.Sizeof(conn{}))
}
