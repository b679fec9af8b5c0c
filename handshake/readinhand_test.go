package handshake

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSmallMessagesAreReadInHand: a message that is one frame and arrived
// whole with its header is returned from the read-ahead buffer, with no
// buffer from the pool (readInHand); every other message still takes the
// long way, and both ways give the same bytes and the same faults.
func TestSmallMessagesAreReadInHand(t *testing.T) {
	small := bytes.Repeat([]byte{'s'}, 32)
	half := frame(true, 0, OpBinary, true, small)
	cases := []struct {
		name    string
		reads   [][]byte // what each read of the socket returns
		maxSize int
		op      Opcode
		want    []byte
		inHand  bool // returned from the read-ahead buffer
		code    int  // the close code the read fails with, if any
	}{
		{name: "a whole binary frame", reads: [][]byte{frame(true, 0, OpBinary, true, small)},
			op: OpBinary, want: small, inHand: true},
		{name: "a whole text frame", reads: [][]byte{frame(true, 0, OpText, true, []byte("héllo"))},
			op: OpText, want: []byte("héllo"), inHand: true},
		{name: "an empty frame", reads: [][]byte{frame(true, 0, OpBinary, true, nil)},
			op: OpBinary, want: []byte{}, inHand: true},
		{name: "the largest that fits beside its header",
			reads: [][]byte{frame(true, 0, OpBinary, true, bytes.Repeat([]byte{'m'}, readAhead-8))},
			op:    OpBinary, want: bytes.Repeat([]byte{'m'}, readAhead-8), inHand: true},
		{name: "a payload still on its way", reads: [][]byte{half[:20], half[20:]},
			op: OpBinary, want: small},
		{name: "a fragmented message", reads: [][]byte{append(frame(false, 0, OpBinary, true, small[:10]),
			frame(true, 0, OpContinuation, true, small[10:])...)},
			op: OpBinary, want: small},
		{name: "a frame bigger than the read-ahead buffer",
			reads: [][]byte{frame(true, 0, OpBinary, true, bytes.Repeat([]byte{'b'}, 1000))},
			op:    OpBinary, want: bytes.Repeat([]byte{'b'}, 1000)},
		{name: "text that is not UTF-8", reads: [][]byte{frame(true, 0, OpText, true, []byte{0xff})},
			code: CloseInvalidData},
		{name: "over the limit", reads: [][]byte{frame(true, 0, OpBinary, true, small)}, maxSize: 31,
			code: CloseTooBig},
		{name: "compressed without an agreement", reads: [][]byte{frame(true, rsv1, OpBinary, true, small)},
			code: CloseProtocolError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := &scriptConn{}
			for _, b := range tc.reads {
				sc.steps = append(sc.steps, step{data: b})
			}
			c := newConn(sc, nil, false)
			c.SetMaxMessageSize(tc.maxSize)
			op, msg, err := c.ReadMessage()
			if tc.code != 0 {
				var ce *CloseError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.code, ce.Code)
				assert.Equal(t, tc.code, lastCloseCode(t, sc.out.Bytes(), false))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.op, op)
			assert.Equal(t, tc.want, msg)
			assert.Equal(t, tc.inHand, c.msg == nil, "read in hand (no buffer from the pool)")
		})
	}
}

// TestMessagesInOneReadComeOutInOrder: several small frames that arrive
// in one read are each returned in hand, in order, and the read-ahead
// buffer is not filled again while frames are left in it.
func TestMessagesInOneReadComeOutInOrder(t *testing.T) {
	var wire []byte
	for _, m := range []string{"one", "two", "three"} {
		wire = append(wire, frame(true, 0, OpText, true, []byte(m))...)
	}
	wire = append(wire, frame(true, 0, OpPing, true, []byte("p"))...)
	wire = append(wire, frame(true, 0, OpText, true, []byte("four"))...)
	w := newWireConn(wire)
	c := w.conn(false, 0)
	for _, want := range []string{"one", "two", "three", "four"} {
		_, msg, err := c.ReadMessage()
		require.NoError(t, err)
		require.Equal(t, want, string(msg))
		require.Nil(t, c.msg)
	}
	assert.Equal(t, 0, w.in.Len(), "everything was read")
}
