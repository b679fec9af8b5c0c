package handshake

import (
	"bytes"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signalConn tells, once armed, when the Conn first reads the socket.
type signalConn struct {
	net.Conn
	armed   atomic.Bool
	reading chan struct{}
}

func (s *signalConn) Read(p []byte) (int, error) {
	if s.armed.CompareAndSwap(true, false) {
		s.reading <- struct{}{}
	}
	return s.Conn.Read(p)
}

// readServerFrame reads one unmasked frame from raw: its header and payload.
func readServerFrame(t *testing.T, raw net.Conn) (header, []byte) {
	t.Helper()
	var h header
	var scratch [maxHeaderLen]byte
	require.NoError(t, readHeader(raw, &scratch, &h))
	require.False(t, h.masked, "a server frame is not masked")
	p := make([]byte, h.length)
	_, err := io.ReadFull(raw, p)
	require.NoError(t, err)
	return h, p
}

// lentMessage sends msg to the server Conn c as one masked binary frame
// and reads it there, and clears the room in front of it, so that a header
// found there later was written by the write under test.
func lentMessage(t *testing.T, c *Conn, raw net.Conn, msg []byte) []byte {
	t.Helper()
	_, err := raw.Write(frame(true, 0, OpBinary, true, msg))
	require.NoError(t, err)
	op, got, err := c.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, OpBinary, op)
	require.Equal(t, msg, got)
	if c.lentBuf != nil {
		clear((*c.lentBuf)[:msgRoom])
	}
	return got
}

// TestAnEchoIsFramedInTheRoom: a server that writes back the message it
// has just read (or the start of it) gets its frame built in the room in
// front of the message (lend.go): the header lands there, and the peer
// reads the right frame. Every other write takes the copy, and the room
// stays as it was. Two sizes: a 2-byte length field, and the 8-byte one
// that makes a server's header its longest, 10 bytes.
func TestAnEchoIsFramedInTheRoom(t *testing.T) {
	cases := []struct {
		name   string
		parts  func(msg []byte) [][]byte
		op     Opcode
		inRoom bool
	}{
		{"the message itself", func(m []byte) [][]byte { return [][]byte{m} }, OpBinary, true},
		{"the message, as text", func(m []byte) [][]byte { return [][]byte{m} }, OpText, true},
		{"the start of it", func(m []byte) [][]byte { return [][]byte{m[:100]} }, OpBinary, true},
		{"the rest of it, past its first byte", func(m []byte) [][]byte { return [][]byte{m[1:]} }, OpBinary, false},
		{"a copy of it", func(m []byte) [][]byte { return [][]byte{bytes.Clone(m)} }, OpBinary, false},
		{"it, in two parts", func(m []byte) [][]byte { return [][]byte{m[:10], m[10:]} }, OpBinary, false},
		{"a prefix before it", func(m []byte) [][]byte { return [][]byte{[]byte("re: "), m} }, OpBinary, false},
		{"none of it", func(m []byte) [][]byte { return [][]byte{m[:0]} }, OpBinary, false},
	}
	for _, size := range []int{1000, 70_000} {
		for _, tc := range cases {
			t.Run(tc.name+"/"+strconv.Itoa(size), func(t *testing.T) {
				c, raw := pipePair(t)
				msg := lentMessage(t, c, raw, bytes.Repeat([]byte{'e'}, size))
				parts := tc.parts(msg)
				want := bytes.Join(parts, nil)

				require.NoError(t, c.WriteMessage(tc.op, parts...))
				h, got := readServerFrame(t, raw)
				assert.Equal(t, tc.op, h.op)
				assert.True(t, h.fin)
				assert.True(t, bytes.Equal(want, got), "the payload on the wire: %d bytes, want %d", len(got), len(want))

				head := appendHeader(nil, &header{fin: true, op: tc.op, length: uint64(len(want))})
				room := (*c.lentBuf)[:msgRoom]
				if tc.inRoom {
					assert.Equal(t, head, room[msgRoom-len(head):], "the header, in the room")
				} else {
					assert.Equal(t, make([]byte, msgRoom), room, "the room, untouched")
				}
			})
		}
	}
}

// TestOnlyTheLastMessageIsLent: a message read in hand (small, arrived
// whole: readInHand) is not lent, and neither is a message once the next
// ReadMessage has begun; a client never frames in the room, since it must
// mask, and masking in place would change the caller's bytes.
func TestOnlyTheLastMessageIsLent(t *testing.T) {
	t.Run("read in hand", func(t *testing.T) {
		c, raw := pipePair(t)
		lentMessage(t, c, raw, []byte("small"))
		assert.Nil(t, c.lent.Load())
		assert.Nil(t, c.lentBuf)
	})
	t.Run("once the next read has begun", func(t *testing.T) {
		raw, srv := tcpPair(t)
		sc := &signalConn{Conn: srv, reading: make(chan struct{}, 1)}
		c := newConn(sc, nil, false)
		first := lentMessage(t, c, raw, bytes.Repeat([]byte{'1'}, 1000))
		require.True(t, c.inRoom([][]byte{first}))

		sc.armed.Store(true)
		done := make(chan error, 1)
		go func() { _, _, err := c.ReadMessage(); done <- err }()
		<-sc.reading // the reader is waiting for the socket: it has let go
		assert.Nil(t, c.lent.Load())
		assert.False(t, c.inRoom([][]byte{first}))
		_, err := raw.Write(frame(true, 0, OpBinary, true, []byte("next")))
		require.NoError(t, err)
		require.NoError(t, <-done)
	})
	t.Run("a client", func(t *testing.T) {
		cl, sv := tcpPair(t)
		c := newConn(cl, nil, true)
		_, err := sv.Write(frame(true, 0, OpBinary, false, bytes.Repeat([]byte{'c'}, 1000)))
		require.NoError(t, err)
		_, msg, err := c.ReadMessage()
		require.NoError(t, err)
		assert.False(t, c.inRoom([][]byte{msg}))
	})
}

// TestWritersOfTheLentMessageTakeTurns: several goroutines write the lent
// message at once (allowed: it is valid until the next ReadMessage), while
// others write messages of their own, also during the next ReadMessage.
// Every frame arrives whole and right: the room is written only by the
// holder of the writer, and a writer of another message reads nothing of
// the reader's. Under -race (as CI runs it), a data race fails the test.
func TestWritersOfTheLentMessageTakeTurns(t *testing.T) {
	c, raw := pipePair(t)
	const echoes, others = 8, 8
	msg := lentMessage(t, c, raw, bytes.Repeat([]byte{'L'}, 5000))
	other := bytes.Repeat([]byte{'o'}, 3000)

	var wg sync.WaitGroup
	for range echoes {
		wg.Go(func() { assert.NoError(t, c.WriteMessage(OpBinary, msg)) })
	}
	for range others {
		wg.Go(func() { assert.NoError(t, c.WriteMessage(OpText, other)) })
	}
	frames := make(chan []byte, echoes+others)
	go func() {
		for range echoes + others {
			_, p := readServerFrame(t, raw)
			frames <- p
		}
		close(frames)
	}()
	wg.Wait() // the echoes are out: now the next message may be read
	_, err := raw.Write(frame(true, 0, OpBinary, true, bytes.Repeat([]byte{'N'}, 2000)))
	require.NoError(t, err)
	_, next, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, bytes.Repeat([]byte{'N'}, 2000), next)

	count := map[string]int{}
	for p := range frames {
		count[string(p[:1])+strconv.Itoa(len(p))]++
	}
	assert.Equal(t, map[string]int{"L5000": echoes, "o3000": others}, count)
}
