//go:build linux

package main

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTailBuffer: the buffer keeps the last 64 KiB, from a whole line on.
func TestTailBuffer(t *testing.T) {
	var tb tailBuffer
	for i := range 10000 {
		fmt.Fprintf(&tb, "line %d of the log\n", i)
	}
	got := tb.String()
	assert.LessOrEqual(t, len(got), 64<<10)
	assert.True(t, strings.HasPrefix(got, "line "), "starts with a whole line: %.30q", got)
	assert.True(t, strings.HasSuffix(got, "line 9999 of the log\n"))
}

// TestProcCounts: this process's RSS and its sockets, read from /proc.
func TestProcCounts(t *testing.T) {
	r, err := rss(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, r)
	before, err := openFDs(os.Getpid())
	require.NoError(t, err)
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	after, err := openFDs(os.Getpid())
	require.NoError(t, err)
	assert.Equal(t, before, after, "a file is not a socket")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	withSocket, err := openFDs(os.Getpid())
	require.NoError(t, err)
	assert.Equal(t, before+1, withSocket, "a listener is a socket")
}
