package handshake

import (
	"bytes"
	"net"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingConn counts the reads that reach the socket and keeps the
// socket reachable for the SIOCINQ question (syscall.Conn).
type countingConn struct {
	*net.TCPConn
	reads []int
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.TCPConn.Read(p)
	c.reads = append(c.reads, n)
	return n, err
}

func (c *countingConn) SyscallConn() (syscall.RawConn, error) { return c.TCPConn.SyscallConn() }

// waitQueued waits until the kernel holds at least n bytes for s, or fails
// the test after 10 s: it waits on the socket's own count, not a guess.
func waitQueued(t *testing.T, s *net.TCPConn, n int) {
	t.Helper()
	q := newQueuedQuery(s)
	require.NotNil(t, q)
	for deadline := time.Now().Add(10 * time.Second); q.queued() < n; runtime.Gosched() {
		require.True(t, time.Now().Before(deadline), "the kernel never held %d bytes", n)
	}
}

// TestArrivedMessageIsReadWhole: a 64 KiB message that has arrived is read
// into one buffer of its size with one read after the read-ahead, not in
// doublings from 4 KiB (six reads, and 60 KiB copied on the way).
func TestArrivedMessageIsReadWhole(t *testing.T) {
	cl, sv := tcpPair(t)
	msg := bytes.Repeat([]byte{'z'}, 64<<10)
	f := frame(true, 0, OpBinary, true, msg)
	_, err := cl.Write(f)
	require.NoError(t, err)
	waitQueued(t, sv, len(f))

	cc := &countingConn{TCPConn: sv}
	c := newConn(cc, nil, false)
	op, got, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, OpBinary, op)
	assert.Equal(t, msg, got)
	assert.Equal(t, []int{readAhead, len(f) - readAhead}, cc.reads, "the read-ahead, then the rest in one read")
	// The buffer holds the message and the room in front of it (lend.go),
	// 64 KiB + 16 bytes: the 128 KiB class. A pool may hold a buffer bigger
	// than its class (one that grew by append, filed under the largest
	// class it can serve), never smaller.
	buf := cap(got) + msgRoom
	assert.GreaterOrEqual(t, buf, 128<<10, "one buffer of the size class of message and room")
	assert.Less(t, buf, 256<<10, "one buffer of the size class of message and room")
}

// TestClaimOverWhatArrivedCostsWhatArrived: over a real socket, where the
// Conn asks the kernel what has arrived, a header that claims 1 MiB and
// sends 10 KiB still costs about 10 KiB: arrived bytes size the buffer,
// the claim does not. (The pools are emptied first, so that a buffer of
// the wrong size would show as allocated.)
func TestClaimOverWhatArrivedCostsWhatArrived(t *testing.T) {
	cl, sv := tcpPair(t)
	const sent = 10 << 10
	_, err := cl.Write(claim(1<<20, sent))
	require.NoError(t, err)
	waitQueued(t, sv, sent)
	c := newConn(sv, nil, false)
	require.NoError(t, sv.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
	runtime.GC()
	runtime.GC() // the second empties sync.Pool's victim cache too
	allocated := bytesAllocated(func() { _, _, err = c.ReadMessage() })
	require.Error(t, err, "the rest of the claimed megabyte never comes")
	assert.Less(t, allocated, uint64(4*sent+32<<10), "allocated for %d bytes received", sent)
}
