package handshake

import (
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pipeStream is a streamConn over two io.Pipes, the peer's ends returned.
func pipeStream(t *testing.T) (s *streamConn, peerWrites *io.PipeWriter, peerReads *io.PipeReader) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s = newStreamConn(inR, outW, nil,
		func() { outW.CloseWithError(os.ErrDeadlineExceeded) },
		func() { inR.Close(); outW.Close() }, nil, nil)
	t.Cleanup(func() { s.Close(); inW.Close(); outR.Close() })
	return s, inW, outR
}

// TestStreamReadDeadlineCanPassAndMove: unlike an HTTP/2 read deadline,
// the adapter's can pass (Read times out), be moved, and the read under
// way then returns the bytes that come later, none lost.
func TestStreamReadDeadlineCanPassAndMove(t *testing.T) {
	s, peer, _ := pipeStream(t)
	buf := make([]byte, 16)
	require.NoError(t, s.SetReadDeadline(time.Now().Add(20*time.Millisecond)))
	_, err := s.Read(buf)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())

	require.NoError(t, s.SetReadDeadline(time.Time{}))
	go peer.Write([]byte("later"))
	n, err := s.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "later", string(buf[:n]))

	require.NoError(t, s.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err = s.Read(buf)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded, "a deadline in the past fails at once")
}

// TestStreamCloseUnblocks: Close ends a Read and a blocked Write at once,
// and later calls fail with net.ErrClosed.
func TestStreamCloseUnblocks(t *testing.T) {
	s, _, _ := pipeStream(t)
	readErr, writeErr := make(chan error, 1), make(chan error, 1)
	go func() { _, err := s.Read(make([]byte, 1)); readErr <- err }()
	go func() { _, err := s.Write([]byte("nobody reads this")); writeErr <- err }()
	require.NoError(t, s.Close())
	for _, c := range []chan error{readErr, writeErr} {
		select {
		case err := <-c:
			assert.Error(t, err)
		case <-time.After(testTimeout):
			t.Fatal("Close did not unblock")
		}
	}
	_, err := s.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
	_, err = s.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorIs(t, s.Close(), net.ErrClosed)
}

// TestStreamWriteDeadline: a deadline that passes between writes aborts
// nothing (HTTP/2's own write deadline would reset the stream); a write
// blocked past its deadline is aborted and returns a timeout.
func TestStreamWriteDeadline(t *testing.T) {
	s, _, peer := pipeStream(t)
	read := func() { buf := make([]byte, 5); io.ReadFull(peer, buf) }

	require.NoError(t, s.SetWriteDeadline(time.Now().Add(50*time.Millisecond)))
	time.Sleep(100 * time.Millisecond) // the deadline passes while nothing is written
	require.NoError(t, s.SetWriteDeadline(time.Now().Add(testTimeout)))
	go read()
	_, err := s.Write([]byte("later"))
	require.NoError(t, err, "the passed deadline aborted nothing")

	require.NoError(t, s.SetWriteDeadline(time.Now().Add(50*time.Millisecond)))
	_, err = s.Write([]byte("blocked: the peer reads no more"))
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
}

// TestStreamReaderGoroutineEnds: once a streamConn is closed, its reader
// goroutine is gone.
func TestStreamReaderGoroutineEnds(t *testing.T) {
	for range 10 {
		s, _, _ := pipeStream(t)
		s.Close()
	}
	deadline := time.Now().Add(testTimeout)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "(*streamReader).run") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("reader goroutines left:\n%s", stacks)
		}
		runtime.Gosched()
	}
}
