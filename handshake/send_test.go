package handshake

import (
	"bytes"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAFrameThatFitsArmsNoTimer: while the peer reads, frames with a
// deadline go out without the deadline ever being set on the socket (the
// poller's timer is the cost send avoids).
func TestAFrameThatFitsArmsNoTimer(t *testing.T) {
	bounds := map[string]func(c *Conn){
		"a deadline per message": func(c *Conn) { c.SetWriteDeadline(time.Now().Add(time.Minute)) },
		"a timeout":              func(c *Conn) { c.SetWriteTimeout(time.Minute) },
	}
	for name, set := range bounds {
		t.Run(name, func(t *testing.T) {
			c, raw := pipePair(t)
			go io.Copy(io.Discard, raw)
			for range 100 {
				set(c)
				require.NoError(t, c.WriteMessage(OpBinary, []byte("fits")))
			}
			assert.NotNil(t, c.raw, "written without waiting, through the raw connection")
			assert.Equal(t, int64(-1), c.netDeadline, "no write deadline was ever set on the socket")
		})
	}
}

// TestAPastDeadlineFailsAtOnce: a deadline that has passed fails the write
// even though the socket's buffer has room, as net.Conn's does.
func TestAPastDeadlineFailsAtOnce(t *testing.T) {
	c, _ := pipePair(t)
	c.SetWriteDeadline(time.Now().Add(-time.Second))
	assert.ErrorIs(t, c.WriteMessage(OpText, []byte("late")), os.ErrDeadlineExceeded)
}

// TestAWriteThatWaitedDisarmsItsDeadline: a frame bigger than the socket's
// buffers waits for the peer with its deadline armed; once it is out the
// deadline is cleared, so that a frame written after that deadline has
// passed, with a new one of its own, does not fail on the old one.
func TestAWriteThatWaitedDisarmsItsDeadline(t *testing.T) {
	raw, srv := tcpPair(t)
	require.NoError(t, srv.SetWriteBuffer(16<<10))
	require.NoError(t, raw.SetReadBuffer(16<<10))
	c := newConn(srv, nil, false)
	big := bytes.Repeat([]byte{'b'}, 4<<20) // far more than both buffers hold
	deadline := time.Now().Add(time.Second)
	c.SetWriteDeadline(deadline)
	wrote := make(chan error, 1)
	go func() { wrote <- c.WriteMessage(OpBinary, big) }()
	frame := make([]byte, 10+len(big)) // a 64-bit length: 10 bytes of header
	_, err := io.ReadFull(raw, frame)
	require.NoError(t, err)
	require.NoError(t, <-wrote)
	assert.Zero(t, c.netDeadline, "the deadline is cleared once the frame is out")

	time.Sleep(time.Until(deadline) + 10*time.Millisecond) // the subject: the old deadline passes
	c.SetWriteDeadline(time.Now().Add(time.Minute))
	require.NoError(t, c.WriteMessage(OpText, []byte("after")))
}

// TestADeadlineBindsWithoutARawConn: on a connection with no file
// descriptor (net.Pipe here; TLS and HTTP/2 streams alike), every frame
// with a deadline arms it, and a peer that never reads fails the write.
func TestADeadlineBindsWithoutARawConn(t *testing.T) {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	c := newConn(a, nil, false)
	c.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	assert.ErrorIs(t, c.WriteMessage(OpText, []byte("nobody reads")), os.ErrDeadlineExceeded)
	assert.True(t, c.noRaw)
}

// TestWriteDeadlinesKeepTheirTime: a write deadline is kept as time since
// the package's epoch, and comes back as the same instant, whether it was
// made from the clock or from Unix time, in the future or long past; the
// zero time still means none.
func TestWriteDeadlinesKeepTheirTime(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name string
		set  time.Time
	}{
		{"from the clock", now.Add(10 * time.Second)},
		{"from Unix time", time.Unix(0, now.Add(3*time.Second).UnixNano())},
		{"already past", now.Add(-time.Minute)},
		{"long before the epoch", time.Unix(0, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newConn(&wireConn{}, nil, false)
			c.SetWriteDeadline(tc.set)
			got := c.writeBound().at()
			if tc.set.Before(epoch) { // kept as the epoch itself, which is past too
				assert.LessOrEqual(t, time.Until(got), time.Duration(0), "a past deadline came back as %v", got)
				return
			}
			assert.True(t, got.Equal(tc.set), "set %v, got %v", tc.set, got)
			assert.Equal(t, tc.set.After(time.Now()), time.Until(got) > 0)
		})
	}
	c := newConn(&wireConn{}, nil, false)
	c.SetWriteDeadline(now.Add(time.Second))
	c.SetWriteDeadline(time.Time{})
	assert.True(t, c.writeBound().at().IsZero(), "the zero time means no deadline")
}
