package handshake

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testTimeout bounds every read and write in these tests.
const testTimeout = 10 * time.Second

// echo is the echo of handshake/echo, on an httptest server.
func echo(w http.ResponseWriter, r *http.Request) {
	c, err := Upgrade(w, r, nil)
	if err != nil {
		return
	}
	go echoLoop(c)
}

func echoLoop(c *Conn) {
	defer c.Close()
	for {
		op, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		if op == OpText {
			err = c.WriteMessage(op, []byte("Received: "), msg)
		} else {
			err = c.WriteMessage(op, msg)
		}
		if err != nil {
			return
		}
	}
}

// startEcho starts the echo on loopback and returns its ws:// URL.
func startEcho(t testing.TB) string {
	srv := httptest.NewServer(http.HandlerFunc(echo))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// rawPeer is a client that has done the handshake and now writes and reads
// frames as raw bytes, so it can break every rule.
type rawPeer struct {
	t    testing.TB
	conn net.Conn
}

func dialRaw(t testing.TB, url string) *rawPeer {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, _, err := Dial(ctx, url, nil)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	c.NetConn().SetDeadline(time.Now().Add(testTimeout))
	return &rawPeer{t: t, conn: c.NetConn()}
}

// frame builds one frame. A masked frame uses the key of RFC 6455 §5.7.
func frame(fin bool, rsv byte, op Opcode, masked bool, payload []byte) []byte {
	h := header{fin: fin, rsv: rsv, op: op, masked: masked, length: uint64(len(payload)), key: rfcKey}
	b := appendHeader(nil, &h)
	start := len(b)
	b = append(b, payload...)
	if masked {
		mask(rfcKey, 0, b[start:])
	}
	return b
}

// client is a well-formed client frame: final unless noted, masked.
func client(op Opcode, payload string) []byte { return frame(true, 0, op, true, []byte(payload)) }

// fragment is a masked frame that is not the last of its message.
func fragment(op Opcode, payload string) []byte { return frame(false, 0, op, true, []byte(payload)) }

// closeBody is a close frame's body with code and reason.
func closeBody(code int, reason string) string {
	return string(binary.BigEndian.AppendUint16(nil, uint16(code))) + reason
}

func (p *rawPeer) send(frames ...[]byte) {
	_, err := p.conn.Write(bytes.Join(frames, nil))
	require.NoError(p.t, err)
}

// next reads one frame from the server.
func (p *rawPeer) next() (header, []byte) {
	var h header
	var scratch [maxHeaderLen]byte
	require.NoError(p.t, readHeader(p.conn, &scratch, &h), "reading a frame")
	require.False(p.t, h.masked, "a server frame must not be masked")
	payload := make([]byte, h.length)
	_, err := io.ReadFull(p.conn, payload)
	require.NoError(p.t, err)
	return h, payload
}

// want is a frame the server should send. For a close only the code is
// compared (and the reason, if set).
type want struct {
	op      Opcode
	payload string
}

func closeWant(code int) want { return want{OpClose, closeBody(code, "")} }

// TestProtocol sends well-formed and broken frames to the by-hand server
// and checks every frame it answers with, in order.
func TestProtocol(t *testing.T) {
	big := strings.Repeat("x", DefaultMaxMessageSize)
	cases := []struct {
		name   string
		send   [][]byte
		expect []want
		closes bool // the server then closes TCP
	}{
		// Messages and fragments (§5.4)
		{"text", [][]byte{client(OpText, "Hello")}, []want{{OpText, "Received: Hello"}}, false},
		{"binary", [][]byte{client(OpBinary, "\x00\x01\xff")}, []want{{OpBinary, "\x00\x01\xff"}}, false},
		{"empty text", [][]byte{client(OpText, "")}, []want{{OpText, "Received: "}}, false},
		{"three fragments", [][]byte{fragment(OpText, "Hel"), fragment(OpContinuation, "l"), client(OpContinuation, "o")}, []want{{OpText, "Received: Hello"}}, false},
		{"ping between fragments is answered at once", [][]byte{fragment(OpText, "Hel"), client(OpPing, "now"), client(OpContinuation, "lo")}, []want{{OpPong, "now"}, {OpText, "Received: Hello"}}, false},
		{"a code point split across fragments is valid", [][]byte{fragment(OpText, "caf\xc3"), client(OpContinuation, "\xa9")}, []want{{OpText, "Received: café"}}, false},
		{"a message of exactly 1 MiB", [][]byte{client(OpBinary, big)}, []want{{OpBinary, big}}, false},

		// Control frames (§5.5)
		{"ping gets a pong with the same payload", [][]byte{client(OpPing, "are you there?")}, []want{{OpPong, "are you there?"}}, false},
		{"ping of 125 bytes", [][]byte{client(OpPing, strings.Repeat("p", 125))}, []want{{OpPong, strings.Repeat("p", 125)}}, false},
		{"unsolicited pong is ignored", [][]byte{client(OpPong, "hi"), client(OpText, "after")}, []want{{OpText, "Received: after"}}, false},
		{"ping of 126 bytes", [][]byte{client(OpPing, strings.Repeat("p", 126))}, []want{closeWant(1002)}, true},
		{"fragmented ping", [][]byte{fragment(OpPing, "x")}, []want{closeWant(1002)}, true},

		// Framing rules (§5.1, §5.2)
		{"RSV1 set", [][]byte{frame(true, 0x40, OpText, true, []byte("x"))}, []want{closeWant(1002)}, true},
		{"RSV3 set", [][]byte{frame(true, 0x10, OpText, true, []byte("x"))}, []want{closeWant(1002)}, true},
		{"reserved opcode 3", [][]byte{client(0x3, "x")}, []want{closeWant(1002)}, true},
		{"reserved opcode 7", [][]byte{client(0x7, "x")}, []want{closeWant(1002)}, true},
		{"reserved opcode 0xB", [][]byte{client(0xB, "x")}, []want{closeWant(1002)}, true},
		{"reserved opcode 0xF", [][]byte{client(0xF, "x")}, []want{closeWant(1002)}, true},
		{"unmasked client frame", [][]byte{frame(true, 0, OpText, false, []byte("x"))}, []want{closeWant(1002)}, true},
		{"continuation with nothing to continue", [][]byte{client(OpContinuation, "x")}, []want{closeWant(1002)}, true},
		{"new data frame inside a fragmented message", [][]byte{fragment(OpText, "a"), client(OpText, "b")}, []want{closeWant(1002)}, true},

		// UTF-8 (§8.1) and size
		{"invalid UTF-8 text", [][]byte{client(OpText, "bad \xff byte")}, []want{closeWant(1007)}, true},
		{"truncated code point at the end", [][]byte{fragment(OpText, "caf\xc3"), client(OpContinuation, "")}, []want{closeWant(1007)}, true},
		{"1 MiB + 1 in one frame", [][]byte{client(OpBinary, big+"x")}, []want{closeWant(1009)}, true},
		{"1 MiB + 1 in two fragments", [][]byte{fragment(OpBinary, big), client(OpContinuation, "x")}, []want{closeWant(1009)}, true},

		// Close (§5.5.1, §7.4)
		{"close 1000 is answered with 1000", [][]byte{client(OpClose, closeBody(1000, "bye"))}, []want{closeWant(1000)}, true},
		{"close 1001", [][]byte{client(OpClose, closeBody(1001, ""))}, []want{closeWant(1001)}, true},
		{"close 3000", [][]byte{client(OpClose, closeBody(3000, ""))}, []want{closeWant(3000)}, true},
		{"close 4999", [][]byte{client(OpClose, closeBody(4999, ""))}, []want{closeWant(4999)}, true},
		{"close with no body is answered with no body", [][]byte{client(OpClose, "")}, []want{{OpClose, ""}}, true},
		{"close with a 1-byte body", [][]byte{client(OpClose, "\x03")}, []want{closeWant(1002)}, true},
		{"close reason not UTF-8", [][]byte{client(OpClose, closeBody(1000, "\xff"))}, []want{closeWant(1007)}, true},
		{"data after close is not echoed", [][]byte{client(OpClose, closeBody(1000, "")), client(OpText, "late")}, []want{closeWant(1000)}, true},
	}
	for _, code := range []int{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535} {
		cases = append(cases, struct {
			name   string
			send   [][]byte
			expect []want
			closes bool
		}{"close code " + strconv.Itoa(code) + " may not be sent", [][]byte{client(OpClose, closeBody(code, ""))}, []want{closeWant(1002)}, true})
	}

	url := startEcho(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := dialRaw(t, url)
			p.send(tc.send...)
			for _, w := range tc.expect {
				h, payload := p.next()
				require.Equal(t, w.op, h.op, "opcode")
				require.True(t, h.fin, "the server sends whole messages")
				if w.op == OpClose && len(w.payload) >= 2 && len(payload) >= 2 {
					assert.Equal(t, binary.BigEndian.Uint16([]byte(w.payload)), binary.BigEndian.Uint16(payload), "close code (reason %q)", payload[2:])
				} else {
					assert.True(t, string(payload) == w.payload, "payload: got %.40q (%d bytes), want %.40q (%d bytes)", payload, len(payload), w.payload, len(w.payload))
				}
			}
			if tc.closes {
				_, _ = p.conn.Write(client(OpClose, closeBody(1000, ""))) // our answer; the server may be gone
				_, err := io.ReadAll(p.conn)
				assert.True(t, err == nil || errors.Is(err, net.ErrClosed) || isReset(err), "the server closes TCP after the close: %v", err)
			}
		})
	}
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}
