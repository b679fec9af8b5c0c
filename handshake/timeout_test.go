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

// TestATimeoutBindsAPeerThatNeverReads: a write that has to wait for a
// peer that never reads fails once its timeout has passed, with the error a
// deadline gives, over a socket (the raw path) and over a connection with no
// file descriptor; and, as after any failed write, so does the next one.
func TestATimeoutBindsAPeerThatNeverReads(t *testing.T) {
	const timeout = 50 * time.Millisecond
	conns := map[string]func(t *testing.T) *Conn{
		"socket": func(t *testing.T) *Conn {
			_, srv := tcpPair(t) // the client side never reads
			require.NoError(t, srv.SetWriteBuffer(16<<10))
			return newConn(srv, nil, false)
		},
		"no file descriptor": func(t *testing.T) *Conn {
			a, b := net.Pipe()
			t.Cleanup(func() { a.Close(); b.Close() })
			return newConn(a, nil, false)
		},
	}
	for name, conn := range conns {
		t.Run(name, func(t *testing.T) {
			c := conn(t)
			c.SetWriteTimeout(timeout)
			start := time.Now()
			err := c.WriteMessage(OpBinary, bytes.Repeat([]byte{'b'}, 4<<20))
			assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
			assert.GreaterOrEqual(t, time.Since(start), timeout, "it waited its timeout first")
			assert.ErrorIs(t, c.WriteMessage(OpText, []byte("after")), os.ErrDeadlineExceeded,
				"a write that timed out may have cut a frame: the Conn is done")
		})
	}
}

// TestATimeoutCountsFromEachWrite: unlike a deadline, a timeout never
// passes between writes. A write long after SetWriteTimeout gets the whole
// timeout again, and one that waited for the peer leaves no deadline on the
// socket for the next.
func TestATimeoutCountsFromEachWrite(t *testing.T) {
	raw, srv := tcpPair(t)
	require.NoError(t, srv.SetWriteBuffer(16<<10))
	require.NoError(t, raw.SetReadBuffer(16<<10))
	waiting := &waitingConn{TCPConn: srv, waits: make(chan struct{}, 1)}
	c := newConn(waiting, nil, false)
	c.SetWriteTimeout(testTimeout) // 16 KiB buffers on loopback: about 5 MB/s here

	big := bytes.Repeat([]byte{'b'}, 1<<20) // more than both buffers: this write waits
	wrote := make(chan error, 1)
	go func() { wrote <- c.WriteMessage(OpBinary, big) }()
	// Read only once the write waits: a reader that drained the socket
	// while the write offered the frame could let all of it through without
	// a wait (seen here twice in a hundred runs), and leave nothing to test.
	<-waiting.waits
	frame := make([]byte, 10+len(big))
	_, err := io.ReadFull(raw, frame)
	require.NoError(t, err)
	require.NoError(t, <-wrote)
	assert.Zero(t, c.netDeadline, "the deadline the wait armed is cleared once the frame is out")

	const timeout = 20 * time.Millisecond
	c.SetWriteTimeout(timeout)
	time.Sleep(2 * timeout) // the subject: longer than the timeout passes before the write
	require.NoError(t, c.WriteMessage(OpText, []byte("later")))
	got := make([]byte, 2+len("later"))
	_, err = io.ReadFull(raw, got)
	require.NoError(t, err)
	assert.Equal(t, "later", string(got[2:]))
}

// waitingConn tells when a Conn's write waits for the peer: send offers a
// frame through the raw socket first (tryWrite), and calls Write only for
// what is left, after it armed the deadline.
type waitingConn struct {
	*net.TCPConn
	waits chan struct{}
}

func (w *waitingConn) Write(p []byte) (int, error) {
	select {
	case w.waits <- struct{}{}:
	default:
	}
	return w.TCPConn.Write(p)
}

// TestATimeoutCountsTheWaitForTheWriter: a write that finds the writer
// taken waits for it within its timeout, and gives up when that passes.
func TestATimeoutCountsTheWaitForTheWriter(t *testing.T) {
	c, raw := pipePair(t)
	go io.Copy(io.Discard, raw)
	require.True(t, c.wlock.tryLock(), "another writer holds the Conn")
	c.SetWriteTimeout(30 * time.Millisecond)
	start := time.Now()
	assert.ErrorIs(t, c.WriteMessage(OpText, []byte("queued")), errWriterBusy)
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
	c.wlock.unlock()
	assert.NoError(t, c.WriteMessage(OpText, []byte("free")), "giving up breaks nothing")
}

// TestTheLastBoundSetWins: SetWriteDeadline and SetWriteTimeout replace
// each other, and the zero value of either means no bound.
func TestTheLastBoundSetWins(t *testing.T) {
	c := newConn(&wireConn{}, nil, false)
	dl := time.Now().Add(time.Hour)
	c.SetWriteTimeout(time.Minute)
	c.SetWriteDeadline(dl)
	assert.True(t, c.writeBound().at().Equal(dl), "the deadline replaced the timeout")
	c.SetWriteTimeout(time.Minute)
	assert.Equal(t, timeoutBound(time.Minute), c.writeBound(), "the timeout replaced the deadline")
	c.SetWriteTimeout(0)
	assert.Zero(t, c.writeBound())
	c.SetWriteDeadline(dl)
	c.SetWriteDeadline(time.Time{})
	assert.Zero(t, c.writeBound())
	c.SetWriteTimeout(-time.Second)
	assert.Zero(t, c.writeBound(), "a negative timeout is none, not a deadline")
}

// TestBounds: what each kind of bound means for a write that waits now,
// and for a control frame (the sooner of the caller's and controlWait).
func TestBounds(t *testing.T) {
	soon, late := time.Now().Add(100*time.Millisecond), time.Now().Add(time.Hour)
	cases := []struct {
		name    string
		b       bound
		atLeast time.Duration // time.Until(b.at()), at least and at most
		atMost  time.Duration
		control bound // b.sooner(controlWait); -1 for "a deadline", checked below
	}{
		{"none", 0, 0, 0, timeoutBound(controlWait)},
		{"a timeout", timeoutBound(time.Minute), 59 * time.Second, time.Minute, timeoutBound(controlWait)},
		{"a short timeout", timeoutBound(time.Millisecond), 0, time.Millisecond, timeoutBound(time.Millisecond)},
		{"a near deadline", deadlineBound(soon), 0, 100 * time.Millisecond, deadlineBound(soon)},
		{"a far deadline", deadlineBound(late), 59 * time.Minute, time.Hour, timeoutBound(controlWait)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.b == 0 {
				assert.True(t, tc.b.at().IsZero())
			} else {
				left := time.Until(tc.b.at())
				assert.GreaterOrEqual(t, left, tc.atLeast)
				assert.LessOrEqual(t, left, tc.atMost)
			}
			assert.Equal(t, tc.control, tc.b.sooner(controlWait))
			f := tc.b.fixed()
			assert.GreaterOrEqual(t, f, bound(0), "fixed is never a timeout")
			if tc.b > 0 {
				assert.Equal(t, tc.b, f, "a deadline is already fixed")
			}
		})
	}
}
