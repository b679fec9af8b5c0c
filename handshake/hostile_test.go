package handshake

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bytesAllocated returns how many bytes f allocated on the heap.
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// claim is a masked binary frame header that claims length bytes, followed
// by the first sent bytes of its payload.
func claim(length uint64, sent int) []byte {
	b := []byte{0x82, 0x80 | 127}
	b = binary.BigEndian.AppendUint64(b, length)
	b = append(b, rfcKey[:]...)
	return append(b, bytes.Repeat([]byte{'x'}, sent)...)
}

// TestMemoryFollowsBytesReceived: a header may claim up to the limit, but
// the buffer grows only with the bytes that arrive (issue: 1,000 headers
// that each claimed 1 MiB took the by-hand server from 25 MB to 1.3 GB).
func TestMemoryFollowsBytesReceived(t *testing.T) {
	cases := []struct {
		name    string
		maxSize int
		claimed uint64
		sent    int
	}{
		{"1 MiB claimed, 1 byte sent", DefaultMaxMessageSize, 1 << 20, 1},
		{"1 MiB claimed, 10 KiB sent", DefaultMaxMessageSize, 1 << 20, 10 << 10},
		{"2^62 claimed under a limit of MaxInt, 1 byte sent", math.MaxInt, 1 << 62, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			allocated := bytesAllocated(func() {
				_, _, err = newWireConn(claim(tc.claimed, tc.sent)).conn(false, tc.maxSize).ReadMessage()
			})
			require.ErrorIs(t, err, io.ErrUnexpectedEOF, "the peer hung up half-way")
			assert.Less(t, allocated, uint64(4*tc.sent+32<<10), "allocated for %d bytes received", tc.sent)
		})
	}
}

// TestMessageSizeLimits: one rule for 0 and below, in Options and in
// SetMaxMessageSize: the default. Nothing panics, whatever the number.
func TestMessageSizeLimits(t *testing.T) {
	for _, n := range []int{math.MinInt, -1, 0} {
		c := newWireConn(claim(DefaultMaxMessageSize+1, 0)).conn(false, 1)
		c.SetMaxMessageSize(n)
		_, _, err := c.ReadMessage()
		var ce *CloseError
		require.ErrorAs(t, err, &ce, "SetMaxMessageSize(%d)", n)
		assert.Equal(t, CloseTooBig, ce.Code, "SetMaxMessageSize(%d) means the default, 1 MiB", n)
	}
	msg := bytes.Repeat([]byte{'m'}, 70_000)
	w := newWireConn(frame(true, 0, OpBinary, true, msg))
	c := w.conn(false, 0)
	c.SetMaxMessageSize(math.MaxInt)
	_, got, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, msg, got)
}

// TestTopBitOfLengthIsAProtocolError: §5.2 says "the most significant bit
// MUST be 0"; a length of 2^63 or more is a broken frame (1002), not a big
// message (1009).
func TestTopBitOfLengthIsAProtocolError(t *testing.T) {
	w := newWireConn(claim(1<<63, 0))
	_, _, err := w.conn(false, math.MaxInt).ReadMessage()
	var ce *CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, CloseProtocolError, ce.Code)
	assert.Equal(t, CloseProtocolError, lastCloseCode(t, w.out.Bytes(), false))
}

// TestCloseFromAnotherGoroutineKeepsBuffers: Close is how Go code unblocks
// a reader. It must not hand the message just read to the pool, where the
// next connection would write its own bytes into it. (1,000 bytes: a
// message this big comes from the pool; a small one that arrived whole is
// returned from the Conn's own read-ahead buffer, see readInHand.)
func TestCloseFromAnotherGoroutineKeepsBuffers(t *testing.T) {
	a := newWireConn(frame(true, 0, OpBinary, true, bytes.Repeat([]byte{'A'}, 1000))).conn(false, 0)
	_, msgA, err := a.ReadMessage()
	require.NoError(t, err)

	var wg sync.WaitGroup
	wg.Go(func() { a.Close() })
	wg.Wait()

	for range 10 {
		b := newWireConn(frame(true, 0, OpBinary, true, bytes.Repeat([]byte{'B'}, 1000))).conn(false, 0)
		_, msgB, err := b.ReadMessage()
		require.NoError(t, err)
		require.Equal(t, bytes.Repeat([]byte{'A'}, 1000), msgA, "connection A's message was overwritten by B's")
		require.NotSame(t, &msgA[0], &msgB[0])
	}
}

// scriptConn is a net.Conn whose reads follow a script: each step returns
// its bytes, or its error.
type scriptConn struct {
	wireConn
	steps []step
}

type step struct {
	data []byte
	err  error
}

func (c *scriptConn) Read(p []byte) (int, error) {
	if len(c.steps) == 0 {
		return 0, io.EOF
	}
	s := &c.steps[0]
	if s.err != nil {
		c.steps = c.steps[1:]
		return 0, s.err
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	if len(s.data) == 0 {
		c.steps = c.steps[1:]
	}
	return n, nil
}

// TestReadErrorsAreSticky: after a deadline fires in the middle of a frame,
// the next bytes are payload, not a header. Read again, and a text frame
// hidden inside a binary payload would come out as a message.
func TestReadErrorsAreSticky(t *testing.T) {
	hidden := frame(true, 0, OpText, true, []byte("smuggled"))
	outer := frame(true, 0, OpBinary, true, append(bytes.Repeat([]byte{0}, 4), hidden...))
	// The outer frame's header and 4 bytes of its payload arrive, then the
	// read deadline fires; the rest of the payload is a whole frame.
	head := outer[:len(outer)-len(hidden)]
	sc := &scriptConn{steps: []step{{data: head}, {err: os.ErrDeadlineExceeded}, {data: hidden}}}
	c := newConn(sc, nil, false)

	_, _, err := c.ReadMessage()
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	for range 3 {
		op, msg, again := c.ReadMessage()
		require.Equal(t, err, again, "every later read returns the first error, not %v %q", op, msg)
	}
}

// tcpPair is a connected pair of TCP sockets on loopback.
func tcpPair(t *testing.T) (client, server *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	s := <-accepted
	require.NotNil(t, s)
	t.Cleanup(func() { c.Close(); s.Close() })
	return c.(*net.TCPConn), s.(*net.TCPConn)
}

// pipePair returns a server Conn on one end of a loopback TCP connection
// and the raw other end.
func pipePair(t *testing.T) (*Conn, net.Conn) {
	raw, srv := tcpPair(t)
	raw.SetDeadline(time.Now().Add(testTimeout))
	return newConn(srv, nil, false), raw
}

// readFrames reads the server's frames until EOF and returns them.
func readFrames(t *testing.T, raw net.Conn) []header {
	var frames []header
	for {
		var h header
		var scratch [maxHeaderLen]byte
		if err := readHeader(raw, &scratch, &h); err != nil {
			return frames
		}
		_, err := io.CopyN(io.Discard, raw, int64(h.length))
		require.NoError(t, err)
		frames = append(frames, h)
	}
}

// TestCloseWithWaitsForTheAnswer: after CloseWith, a ping gets no pong and
// a message is not delivered; the closing handshake completes with the
// peer's close, whether or not another goroutine is reading (issue: a ping
// after CloseWith ended reading with ErrCloseSent, and no one waited).
func TestCloseWithWaitsForTheAnswer(t *testing.T) {
	for _, reading := range []bool{true, false} {
		name := map[bool]string{true: "a reader is running", false: "no one is reading"}[reading]
		t.Run(name, func(t *testing.T) {
			c, raw := pipePair(t)
			readErr := make(chan error, 1)
			if reading {
				go func() {
					for {
						if _, _, err := c.ReadMessage(); err != nil {
							readErr <- err
							return
						}
					}
				}()
			}
			closed := make(chan error, 1)
			go func() { closed <- c.CloseWith(CloseGoingAway, "bye") }()

			var h header
			var scratch [maxHeaderLen]byte
			require.NoError(t, readHeader(raw, &scratch, &h))
			require.Equal(t, OpClose, h.op)
			_, err := io.CopyN(io.Discard, raw, int64(h.length))
			require.NoError(t, err)
			_, err = raw.Write(bytes.Join([][]byte{
				client(OpPing, "still there?"),
				client(OpText, "one more thing"),
				client(OpClose, closeBody(CloseGoingAway, "")),
			}, nil))
			require.NoError(t, err)

			assert.Empty(t, readFrames(t, raw), "nothing after our close frame, and TCP closed")
			require.NoError(t, <-closed)
			if reading {
				var ce *CloseError
				require.ErrorAs(t, <-readErr, &ce)
				assert.Equal(t, CloseGoingAway, ce.Code)
			}
		})
	}
}

// TestCloseWithIsBounded: a peer that never answers our close costs
// CloseGrace, then TCP is closed.
func TestCloseWithIsBounded(t *testing.T) {
	c, raw := pipePair(t)
	closed := make(chan error, 1)
	go func() { closed <- c.CloseWith(CloseNormal, "") }()
	frames := readFrames(t, raw) // returns at EOF: the server closed TCP
	require.Len(t, frames, 1)
	assert.Equal(t, OpClose, frames[0].op)
	require.NoError(t, <-closed)
}

// TestCloseWithRefusesCodesNoOneMaySend: 1005 and 1006 exist only for
// reporting (§7.4.1).
func TestCloseWithRefusesCodesNoOneMaySend(t *testing.T) {
	c, _ := pipePair(t)
	for _, code := range []int{0, 1005, 1006, 1015, 5000} {
		assert.Error(t, c.CloseWith(code, ""), "code %d", code)
	}
}

// TestWriteDeadlineIsTheCallers: the Conn no longer overwrites a deadline
// with its own 10 s; a write past the caller's deadline fails, and so does
// every write after it (half a frame may be on the wire).
func TestWriteDeadlineIsTheCallers(t *testing.T) {
	c, _ := pipePair(t) // the peer never reads
	c.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	big := bytes.Repeat([]byte{'w'}, 1<<20)
	var err error
	for range 1000 { // the socket buffers fill after a few MiB
		if err = c.WriteMessage(OpBinary, big); err != nil {
			break
		}
	}
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	c.SetWriteDeadline(time.Time{})
	assert.ErrorIs(t, c.WriteMessage(OpText, []byte("after")), os.ErrDeadlineExceeded, "write errors are sticky")
}

// TestSmallFragmentsGrowTheBufferByDoubling: a 1 MiB message in 64-byte
// fragments must not copy its buffer once per fragment (16,384 copies of
// half a MiB on average: 8 GiB allocated); doubling allocates about twice
// the message.
func TestSmallFragmentsGrowTheBufferByDoubling(t *testing.T) {
	const size, piece = 1 << 20, 64
	var wire []byte
	for i := 0; i < size; i += piece {
		op := OpContinuation
		if i == 0 {
			op = OpBinary
		}
		wire = append(wire, frame(i+piece == size, 0, op, true, bytes.Repeat([]byte{'f'}, piece))...)
	}
	var msg []byte
	allocated := bytesAllocated(func() {
		var err error
		_, msg, err = newWireConn(wire).conn(false, DefaultMaxMessageSize).ReadMessage()
		require.NoError(t, err)
	})
	assert.Len(t, msg, size)
	assert.Less(t, allocated, uint64(4*size), "bytes allocated to read it")
}
