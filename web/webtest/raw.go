package webtest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RawBound bounds how long AnswerClose waits for the server.
const RawBound = 3 * time.Second

// RawConn is a WebSocket client written frame by frame, so a test can send
// what no library would and see every frame the server sends.
type RawConn struct {
	net.Conn
	r *bufio.Reader
}

// DialRaw opens a WebSocket to wsURL by hand; extra header lines (e.g.
// "Origin: x") are sent as given. It fails the test unless the answer is 101.
func DialRaw(t testing.TB, wsURL string, extra ...string) *RawConn {
	t.Helper()
	c, resp := HandshakeRaw(t, wsURL, extra...)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	return c
}

// HandshakeRaw sends a handshake by hand and returns the connection and
// the server's answer, whatever it is.
func HandshakeRaw(t testing.TB, wsURL string, extra ...string) (*RawConn, *http.Response) {
	t.Helper()
	host := strings.TrimPrefix(wsURL, "ws://")
	req := "GET / HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	for _, h := range extra {
		req += h + "\r\n"
	}
	return RequestRaw(t, host, req+"\r\n")
}

// RequestRaw sends req, as it is, over a new TCP connection to host and
// reads the response.
func RequestRaw(t testing.TB, host, req string) (*RawConn, *http.Response) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", host, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = io.WriteString(nc, req)
	require.NoError(t, err)
	c := &RawConn{Conn: nc, r: bufio.NewReader(nc)}
	resp, err := http.ReadResponse(c.r, nil)
	require.NoError(t, err)
	nc.SetDeadline(time.Time{})
	return c, resp
}

// ClientFrame returns one final, masked frame, as a client must send it.
func ClientFrame(opcode byte, payload []byte) []byte {
	b := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n <= 125:
		b = append(b, 0x80|byte(n))
	case n < 1<<16:
		b = binary.BigEndian.AppendUint16(append(b, 0x80|126), uint16(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, 0x80|127), uint64(n))
	}
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	b = append(b, key[:]...)
	for i, x := range payload {
		b = append(b, x^key[i%4])
	}
	return b
}

// Send writes frames to the server within a second.
func (c *RawConn) Send(t testing.TB, frames ...[]byte) {
	t.Helper()
	c.SetWriteDeadline(time.Now().Add(time.Second))
	for _, f := range frames {
		_, err := c.Write(f)
		require.NoError(t, err)
	}
}

// ReadFrame reads one frame from the server, which sends them unmasked.
func (c *RawConn) ReadFrame() (opcode byte, payload []byte, err error) {
	var h [2]byte
	if _, err := io.ReadFull(c.r, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(c.r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(c.r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	payload = make([]byte, n)
	_, err = io.ReadFull(c.r, payload)
	return h[0] & 0x0f, payload, err
}

// AnswerClose reads frames until the server's close frame, answers it with
// the same code, as a well-behaved client does, waits for the server to
// hang up, and hangs up too.
func (c *RawConn) AnswerClose(t testing.TB) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(RawBound))
	for {
		op, body, err := c.ReadFrame()
		require.NoError(t, err, "no close frame came")
		if op == 8 {
			_, _ = c.Write(ClientFrame(8, body[:min(len(body), 2)])) // it may have hung up already
			break
		}
	}
	// EOF, or a reset if our answer reached a socket already closed.
	_, err := io.Copy(io.Discard, c.r)
	require.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the server did not hang up")
	c.Close()
}
