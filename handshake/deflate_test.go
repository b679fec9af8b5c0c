package handshake

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactEcho upgrades with opts and echoes every message unchanged, as
// handshake/echo does on /echo.
func exactEcho(opts *Options) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := Upgrade(w, r, opts)
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			for {
				op, msg, err := c.ReadMessage()
				if err != nil || c.WriteMessage(op, msg) != nil {
					return
				}
			}
		}()
	}
}

// startDeflateEcho starts an exact echo with compression cfg and returns
// its ws:// URL.
func startDeflateEcho(t testing.TB, cfg *Compression, maxSize int) string {
	srv := httptest.NewServer(exactEcho(&Options{Compression: cfg, MaxMessageSize: maxSize}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// dialDeflateRaw does the handshake by hand with a Sec-WebSocket-Extensions
// offer, checks the server's answer, and returns a raw peer.
func dialDeflateRaw(t testing.TB, url, offer, wantAnswer string) *rawPeer {
	host := strings.TrimPrefix(url, "ws://")
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(testTimeout))
	_, err = conn.Write([]byte("GET / HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Extensions: " + offer + "\r\n\r\n"))
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	require.Equal(t, wantAnswer, resp.Header.Get("Sec-WebSocket-Extensions"))
	require.Zero(t, br.Buffered(), "nothing after the 101")
	return &rawPeer{t: t, conn: conn}
}

// deflateMessages compresses each message as a peer with context takeover
// does (RFC 7692 §7.2.1): one writer for all, a flush after each, the
// trailing 00 00 FF FF removed. The second of two equal messages becomes a
// back-reference into the first.
func deflateMessages(t testing.TB, level int, msgs ...[]byte) [][]byte {
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, level)
	require.NoError(t, err)
	var payloads [][]byte
	for _, m := range msgs {
		out.Reset()
		_, err := fw.Write(m)
		require.NoError(t, err)
		require.NoError(t, fw.Flush())
		b := out.Bytes()
		require.True(t, bytes.HasSuffix(b, deflateSyncTail))
		payloads = append(payloads, bytes.Clone(b[:len(b)-4]))
	}
	return payloads
}

// inflateStream inflates payloads as one peer with context takeover reads
// them: one stream, each payload followed by the 4 bytes §7.2.2 adds back.
func inflateStream(t testing.TB, payloads ...[]byte) []byte {
	var in []byte
	for _, p := range payloads {
		in = append(append(in, p...), deflateSyncTail...)
	}
	in = append(in, inflateTail[4:]...) // an empty final block: a clean EOF
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(in)))
	require.NoError(t, err)
	return out
}

// TestRFC7692Examples reads the compressed messages of RFC 7692 §7.2.3, byte
// for byte, as a client: each must come out as "Hello".
func TestRFC7692Examples(t *testing.T) {
	cases := []struct {
		name   string
		wire   string
		hellos int // how many "Hello" messages the bytes hold
	}{
		{"7.2.3.1 a message compressed", "\xc1\x07\xf2\x48\xcd\xc9\xc9\x07\x00", 1},
		{"7.2.3.1 the same, in two fragments", "\x41\x03\xf2\x48\xcd\x80\x04\xc9\xc9\x07\x00", 1},
		{"7.2.3.2 context takeover: the second refers to the first", "\xc1\x07\xf2\x48\xcd\xc9\xc9\x07\x00\xc1\x05\xf2\x00\x11\x00\x00", 2},
		{"7.2.3.3 a stored block", "\xc1\x0b\x00\x05\x00\xfa\xff\x48\x65\x6c\x6c\x6f\x00", 1},
		{"7.2.3.4 a block with BFINAL set", "\xc1\x08\xf3\x48\xcd\xc9\xc9\x07\x00\x00", 1},
		{"7.2.3.5 two blocks in one message", "\xc1\x0d\xf2\x48\x05\x00\x00\x00\xff\xff\xca\xc9\xc9\x07\x00", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newWireConn([]byte(tc.wire)).conn(true, DefaultMaxMessageSize)
			c.deflate = newDeflateState(deflateParams{serverMaxWindowBits: 15, clientMaxWindowBits: 15}, &Compression{ContextTakeover: true}, true)
			for range tc.hellos {
				op, msg, err := c.ReadMessage()
				require.NoError(t, err)
				assert.Equal(t, OpText, op)
				assert.Equal(t, "Hello", string(msg))
			}
		})
	}
	// 7.2.3.6: an empty message compressed is one byte, 00.
	b, err := newDeflateState(deflateParams{}, &Compression{}, false).compress(nil, nil)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x00}, b)
}

// jsonEvents is n bytes of JSON events that differ from one another, as a
// live feed's do: they compress, but not to nothing.
func jsonEvents(n int) []byte {
	var b []byte
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, `{"seq":%d,"user":"u%d","price":%d.%02d,"side":%q}`+"\n", i, i*7919%1009, i*104729%9973, i*31%100, []string{"buy", "sell"}[i*13%7%2])
	}
	return b[:n]
}

// TestContextTakeoverBothWays sends the same 2 KiB message twice, the
// second compressed as a back-reference into the first (the server must
// keep the client's window to read it), and checks that the server's
// echo of the second is a back-reference too (it kept its own).
func TestContextTakeoverBothWays(t *testing.T) {
	msg := jsonEvents(2048)
	cases := []struct {
		name, offer, answer string
		serverKeeps         bool
	}{
		{"both ways", "permessage-deflate", "permessage-deflate", true},
		{"the client's only", "permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := startDeflateEcho(t, &Compression{ContextTakeover: true}, 0)
			p := dialDeflateRaw(t, url, tc.offer, tc.answer)
			sent := deflateMessages(t, flate.BestCompression, msg, msg)
			require.Less(t, len(sent[1]), 32, "our second message is a back-reference")
			p.send(frame(true, rsv1, OpText, true, sent[0]), frame(true, rsv1, OpText, true, sent[1]))

			h1, echo1 := p.next()
			h2, echo2 := p.next()
			assert.Equal(t, byte(rsv1), h1.rsv, "the echo is compressed")
			assert.Equal(t, byte(rsv1), h2.rsv)
			assert.Equal(t, append(bytes.Clone(msg), msg...), inflateStream(t, echo1, echo2))
			t.Logf("the server's echoes: %d and %d bytes for %d", len(echo1), len(echo2), len(msg))
			if tc.serverKeeps {
				assert.Less(t, len(echo2), len(echo1)/4, "the server's second echo refers back to its first")
			} else {
				assert.Greater(t, len(echo2), len(echo1)/2, "without its context, the server compresses afresh")
			}
		})
	}
}

// TestCompressedEcho: our Dialer and our server, with and without context
// takeover, echo every kind of message; messages under the threshold go
// out uncompressed.
func TestCompressedEcho(t *testing.T) {
	random := make([]byte, 70000)
	_, _ = rand.Read(random)
	messages := []struct {
		op      Opcode
		payload []byte
	}{
		{OpText, []byte("hi")}, // under the threshold
		{OpText, []byte(strings.Repeat("héllo ✓ 🎉 ", 100))},
		{OpText, []byte(strings.Repeat("héllo ✓ 🎉 ", 100))},
		{OpBinary, random},
		{OpBinary, nil},
		{OpBinary, bytes.Repeat([]byte{0}, 500000)},
		{OpText, []byte(strings.Repeat("héllo ✓ 🎉 ", 100))},
	}
	for _, server := range []Compression{{ContextTakeover: true}, {}, {Threshold: -1}} {
		for _, client := range []Compression{{ContextTakeover: true}, {}, {ContextTakeover: true, Threshold: -1}} {
			name := func(c Compression) string {
				s := "no-context-takeover"
				if c.ContextTakeover {
					s = "context-takeover"
				}
				if c.Threshold < 0 {
					s += "+all"
				}
				return s
			}
			t.Run(name(server)+"/"+name(client), func(t *testing.T) {
				url := startDeflateEcho(t, &server, 0)
				ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
				defer cancel()
				c, resp, err := (&Dialer{Compression: &client}).Dial(ctx, url)
				require.NoError(t, err)
				defer c.Close()
				require.NotEmpty(t, resp.Header.Get("Sec-WebSocket-Extensions"))
				c.NetConn().SetDeadline(time.Now().Add(testTimeout))
				for _, m := range messages {
					require.NoError(t, c.WriteMessage(m.op, m.payload))
					op, got, err := c.ReadMessage()
					require.NoError(t, err)
					assert.Equal(t, m.op, op)
					assert.True(t, bytes.Equal(got, m.payload), "a message of %d bytes came back as %d bytes", len(m.payload), len(got))
				}
			})
		}
	}
}

// TestRSV1Rules: with permessage-deflate negotiated, RSV1 marks a
// compressed message on its first frame only (RFC 7692 §6); anywhere else,
// and RSV2 or RSV3 anywhere, fails the connection with 1002. Data that is
// not DEFLATE, or that inflates to text that is not UTF-8, fails it with
// 1007.
func TestRSV1Rules(t *testing.T) {
	hello := deflateMessages(t, flate.BestSpeed, []byte("Hello"))[0]
	badText := deflateMessages(t, flate.BestSpeed, []byte("bad \xff byte"))[0]
	cases := []struct {
		name string
		send [][]byte
		want want
	}{
		{"RSV1 on a message", [][]byte{frame(true, rsv1, OpText, true, hello)}, want{OpText, "Hello"}},
		{"RSV1 clear: not compressed", [][]byte{client(OpText, "plain")}, want{OpText, "plain"}},
		{"RSV1 on the first of two fragments", [][]byte{frame(false, rsv1, OpBinary, true, hello[:3]), frame(true, 0, OpContinuation, true, hello[3:])}, want{OpBinary, "Hello"}},
		{"a ping between compressed fragments", [][]byte{frame(false, rsv1, OpText, true, hello[:3]), client(OpPing, "p"), frame(true, 0, OpContinuation, true, hello[3:])}, want{OpPong, "p"}},
		{"RSV1 on a continuation", [][]byte{frame(false, rsv1, OpText, true, hello[:3]), frame(true, rsv1, OpContinuation, true, hello[3:])}, closeWant(1002)},
		{"RSV1 on a continuation of a plain message", [][]byte{fragment(OpText, "a"), frame(true, rsv1, OpContinuation, true, []byte("b"))}, closeWant(1002)},
		{"RSV1 on a ping", [][]byte{frame(true, rsv1, OpPing, true, nil)}, closeWant(1002)},
		{"RSV1 on a close", [][]byte{frame(true, rsv1, OpClose, true, nil)}, closeWant(1002)},
		{"RSV2", [][]byte{frame(true, 0x20, OpText, true, []byte("x"))}, closeWant(1002)},
		{"RSV1 and RSV3", [][]byte{frame(true, rsv1|0x10, OpText, true, hello)}, closeWant(1002)},
		{"not DEFLATE data", [][]byte{frame(true, rsv1, OpBinary, true, []byte{0xff, 0xff, 0xff})}, closeWant(1007)},
		{"inflates to text that is not UTF-8", [][]byte{frame(true, rsv1, OpText, true, badText)}, closeWant(1007)},
	}
	url := startDeflateEcho(t, &Compression{ContextTakeover: true}, 0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := dialDeflateRaw(t, url, "permessage-deflate", "permessage-deflate")
			p.send(tc.send...)
			h, payload := p.next()
			require.Equal(t, tc.want.op, h.op, "opcode")
			assert.Zero(t, h.rsv, "a control frame, or a message under the threshold, goes out uncompressed")
			if tc.want.op == OpClose {
				require.GreaterOrEqual(t, len(payload), 2)
				assert.Equal(t, binary.BigEndian.Uint16([]byte(tc.want.payload)), binary.BigEndian.Uint16(payload), "close code (reason %q)", payload[2:])
				return
			}
			assert.Equal(t, tc.want.payload, string(payload))
		})
	}
	// Without the extension, RSV1 is the 1002 of RFC 6455 §5.2 (and TestProtocol).
	p := dialDeflateRaw(t, startEcho(t), "permessage-deflate", "")
	p.send(frame(true, rsv1, OpText, true, hello))
	h, payload := p.next()
	assert.Equal(t, OpClose, h.op)
	assert.Equal(t, uint16(CloseProtocolError), binary.BigEndian.Uint16(payload))
}

// bomb is how big TestCompressionBomb's message is once inflated.
const bomb = 100 << 20

// TestCompressionBomb sends 100 MiB of zeros compressed to about 100 KiB
// to a server whose limit is 1 MiB. The limit is on the inflated size: the
// server closes with 1009, and inflates no more than the limit to see it.
func TestCompressionBomb(t *testing.T) {
	var zeros bytes.Buffer
	fw, err := flate.NewWriter(&zeros, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(make([]byte, bomb))
	require.NoError(t, err)
	require.NoError(t, fw.Flush())
	payload := bytes.TrimSuffix(zeros.Bytes(), deflateSyncTail)
	t.Logf("%d MiB of zeros compress to %d KiB", bomb>>20, len(payload)>>10)

	url := startDeflateEcho(t, &Compression{ContextTakeover: true}, 1<<20)
	p := dialDeflateRaw(t, url, "permessage-deflate", "permessage-deflate")
	attack := frame(true, rsv1, OpBinary, true, payload)
	allocated := bytesAllocated(func() {
		p.send(attack)
		h, body := p.next()
		require.Equal(t, OpClose, h.op)
		assert.Equal(t, uint16(CloseTooBig), binary.BigEndian.Uint16(body), "reason %q", body[2:])
	})
	t.Logf("the server allocated %d KiB to refuse it", allocated>>10)
	assert.Less(t, allocated, uint64(8<<20), "bytes allocated while refusing the bomb")
}

// gorillaDeflateEcho is gorilla's echo with compression on: it accepts
// permessage-deflate without context takeover, the only kind it knows.
func gorillaDeflateEcho(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{EnableCompression: true}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	for {
		kind, msg, err := c.ReadMessage()
		if err != nil || c.WriteMessage(kind, msg) != nil {
			return
		}
	}
}

// TestDeflateInteropGorilla: gorilla's client against our server, and our
// client against gorilla's server, all with compression on. Gorilla
// v1.5.3 speaks permessage-deflate without context takeover only; ours
// must agree to that whatever its own preference.
func TestDeflateInteropGorilla(t *testing.T) {
	messages := [][]byte{
		[]byte(strings.Repeat("gorilla and the by-hand server ", 300)),
		bytes.Repeat([]byte{7}, 200000),
		[]byte("short"),
		[]byte(strings.Repeat("gorilla and the by-hand server ", 300)),
	}
	for _, cfg := range []Compression{{ContextTakeover: true}, {}} {
		t.Run(fmt.Sprintf("gorilla client, ContextTakeover %v", cfg.ContextTakeover), func(t *testing.T) {
			url := startDeflateEcho(t, &cfg, 0)
			c, resp, err := (&websocket.Dialer{EnableCompression: true}).Dial(url, nil)
			require.NoError(t, err)
			defer c.Close()
			assert.Equal(t, "permessage-deflate; server_no_context_takeover; client_no_context_takeover", resp.Header.Get("Sec-WebSocket-Extensions"))
			c.SetReadDeadline(time.Now().Add(testTimeout))
			for _, m := range messages {
				require.NoError(t, c.WriteMessage(websocket.BinaryMessage, m))
				_, got, err := c.ReadMessage()
				require.NoError(t, err)
				assert.True(t, bytes.Equal(m, got), "%d bytes came back as %d", len(m), len(got))
			}
		})
		t.Run(fmt.Sprintf("gorilla server, ContextTakeover %v", cfg.ContextTakeover), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(gorillaDeflateEcho))
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			c, resp, err := (&Dialer{Compression: &cfg}).Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"))
			require.NoError(t, err)
			defer c.Close()
			assert.Equal(t, "permessage-deflate; server_no_context_takeover; client_no_context_takeover", resp.Header.Get("Sec-WebSocket-Extensions"))
			require.NotNil(t, c.deflate)
			c.NetConn().SetDeadline(time.Now().Add(testTimeout))
			for _, m := range messages {
				require.NoError(t, c.WriteMessage(OpBinary, m))
				_, got, err := c.ReadMessage()
				require.NoError(t, err)
				assert.True(t, bytes.Equal(m, got), "%d bytes came back as %d", len(m), len(got))
			}
		})
	}
}

// TestDeflateTranscript records permessage-deflate on the wire, as the
// chapter "Compression" shows it: a browser's offer and the server's
// answer, then "Hello" twice, compressed as in RFC 7692 §7.2.3.2 (the
// second time as a back-reference into the first), and the server's
// compressed echoes (every message compressed: Threshold -1).
func TestDeflateTranscript(t *testing.T) {
	url := startDeflateEcho(t, &Compression{ContextTakeover: true, Threshold: -1}, 0)
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "ws://"))
	require.NoError(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(testTimeout))
	request := "GET /echo HTTP/1.1\r\n" +
		"Host: localhost:1234\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Key: f7cb4ezEAl6C3wRaU6JORA==\r\n" +
		"Sec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
	_, err = conn.Write([]byte(request))
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	var response strings.Builder
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		response.WriteString(line)
		if line == "\r\n" {
			break
		}
	}

	var out strings.Builder
	out.WriteString(strings.ReplaceAll(request+response.String(), "\r\n", "\n"))
	show := func(dir string, wire []byte, what string) {
		fmt.Fprintf(&out, "%s %-39s %s\n", dir, spaced(wire), what)
	}
	p := &rawPeer{t: t, conn: conn}
	first := frame(true, rsv1, OpText, true, []byte("\xf2\x48\xcd\xc9\xc9\x07\x00"))
	second := frame(true, rsv1, OpText, true, []byte("\xf2\x00\x11\x00\x00"))
	p.send(first)
	show("→", first, `client: RSV1 + text, masked: "Hello" compressed`)
	h, payload := p.next()
	show("←", append(appendHeader(nil, &h), payload...), `server: RSV1 + text: "Hello" compressed`)
	p.send(second)
	show("→", second, `client: "Hello" again, a back-reference`)
	h2, payload2 := p.next()
	show("←", append(appendHeader(nil, &h2), payload2...), `server: "Hello" again`)
	assert.Equal(t, "HelloHello", string(inflateStream(t, payload, payload2)))
	golden(t, "deflate-transcript.txt", out.String())
}

// FuzzReadCompressed is FuzzReadMessage with permessage-deflate negotiated
// (context takeover both ways): whatever the bytes, RSV1 and DEFLATE
// included, no panic, no message over the limit once inflated, and a
// failed connection's close frame carries the code reported.
//
//	go test -run '^$' -fuzz FuzzReadCompressed -fuzztime 30s ./handshake
func FuzzReadCompressed(f *testing.F) {
	f.Add(true, []byte("\xc1\x07\xf2\x48\xcd\xc9\xc9\x07\x00\xc1\x05\xf2\x00\x11\x00\x00"))
	f.Add(true, []byte("\x41\x03\xf2\x48\xcd\x89\x00\x80\x04\xc9\xc9\x07\x00"))
	f.Add(false, frame(true, rsv1, OpBinary, true, []byte("\xf2\x48\xcd\xc9\xc9\x07\x00")))
	f.Fuzz(func(t *testing.T, client bool, data []byte) {
		w := newWireConn(data)
		c := w.conn(client, fuzzMaxSize)
		c.deflate = newDeflateState(deflateParams{serverMaxWindowBits: 15, clientMaxWindowBits: 15}, &Compression{ContextTakeover: true}, client)
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
		}
	})
}
