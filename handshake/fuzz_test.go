package handshake

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireConn is a net.Conn whose reads come from a byte slice and whose
// writes are kept: the fuzzer's stand-in for a peer.
type wireConn struct {
	in  *bytes.Reader
	out bytes.Buffer
}

func (c *wireConn) Read(p []byte) (int, error)       { return c.in.Read(p) }
func (c *wireConn) Write(p []byte) (int, error)      { return c.out.Write(p) }
func (c *wireConn) Close() error                     { return nil }
func (c *wireConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *wireConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *wireConn) SetDeadline(time.Time) error      { return nil }
func (c *wireConn) SetReadDeadline(time.Time) error  { return nil }
func (c *wireConn) SetWriteDeadline(time.Time) error { return nil }
func newWireConn(data []byte) *wireConn              { return &wireConn{in: bytes.NewReader(data)} }
func (c *wireConn) conn(client bool, maxSize int) *Conn {
	conn := newConn(c, nil, client)
	conn.SetMaxMessageSize(maxSize)
	return conn
}

// fuzzMaxSize keeps the fuzzer's messages small, so it explores framing
// instead of memory.
const fuzzMaxSize = 4096

// FuzzReadMessage feeds arbitrary bytes to a Conn, as a server (client
// false: frames must be masked) or as a client. Whatever the bytes, reading
// must end in a message or an error, never a panic; no message may exceed
// the limit; every text message must be UTF-8; and if the connection was
// failed, the last frame we wrote is a close frame with the same code.
func FuzzReadMessage(f *testing.F) {
	// The corpus in testdata/fuzz/FuzzReadMessage holds the RFC 6455 §5.7
	// examples; these seeds add the server's view of them.
	f.Add(false, []byte("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"))
	f.Add(false, []byte("\x01\x83\x37\xfa\x21\x3d\x7f\x9f\x4d\x80\x82\x37\xfa\x21\x3d\x5b\x95"))
	f.Add(true, []byte("\x81\x05Hello\x89\x05Hello\x88\x02\x03\xe8"))
	f.Fuzz(func(t *testing.T, client bool, data []byte) {
		w := newWireConn(data)
		c := w.conn(client, fuzzMaxSize)
		for range 100 {
			op, msg, err := c.ReadMessage()
			if err != nil {
				var ce *CloseError
				if errors.As(err, &ce) && ce.Sent {
					assert.Equal(t, ce.Code, lastCloseCode(t, w.out.Bytes(), client), "the close frame we sent")
				}
				return
			}
			require.LessOrEqual(t, len(msg), fuzzMaxSize)
			require.True(t, op == OpText || op == OpBinary)
			if op == OpText {
				require.True(t, utf8.Valid(msg))
			}
		}
	})
}

// lastCloseCode reads the frames we wrote and returns the code of the last
// close frame, or -1.
func lastCloseCode(t *testing.T, written []byte, client bool) int {
	code := -1
	r := bytes.NewReader(written)
	for r.Len() > 0 {
		var h header
		var scratch [maxHeaderLen]byte
		require.NoError(t, readHeader(r, &scratch, &h))
		require.Equal(t, client, h.masked, "clients mask, servers do not")
		payload := make([]byte, h.length)
		_, err := io.ReadFull(r, payload)
		require.NoError(t, err)
		if h.masked {
			mask(h.key, 0, payload)
		}
		if h.op == OpClose && len(payload) >= 2 {
			code = int(binary.BigEndian.Uint16(payload))
		}
	}
	return code
}

// TestForgedLengthAllocatesNothing: a header that claims 2^63-1 bytes is
// refused with 1009 before any payload buffer grows.
func TestForgedLengthAllocatesNothing(t *testing.T) {
	forged := []byte{0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4}
	var err error
	allocated := bytesAllocated(func() {
		w := newWireConn(forged)
		_, _, err = w.conn(false, DefaultMaxMessageSize).ReadMessage()
	})
	var ce *CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, CloseTooBig, ce.Code)
	assert.Less(t, allocated, uint64(64<<10), "no buffer was grown for the forged length")
}
