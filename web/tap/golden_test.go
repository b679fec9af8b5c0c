package tap

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
)

// update rewrites the golden files: go test ./web/tap -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create %s", path)
	assert.Equal(t, string(want), got, "%s is out of date: go test ./web/tap -run Golden -update", path)
}

// rfcKey is the masking key of the examples in RFC 6455 §5.7.
var rfcKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// clientFrame is a client's frame: FIN set, masked with rfcKey.
func clientFrame(op handshake.Opcode, payload []byte) []byte {
	h := handshake.FrameHeader{Fin: true, Opcode: op, Masked: true, Length: uint64(len(payload)), Key: rfcKey}
	body := append([]byte(nil), payload...)
	handshake.ApplyMask(rfcKey, 0, body)
	return append(handshake.AppendFrameHeader(nil, h), body...)
}

// TestGoldenHello is the chapters' "type Hello, and look": a client that
// sends the handshake of the original chapter (its key), then "Hello",
// the binary "Hi!", 200 and 70,000 bytes of text, and a close 1000, each
// masked with the key of RFC 6455 §5.7, through a tapped by-hand echo
// server, watched by an inspector. What the inspector reports is written
// as the panel shows it into testdata/*.txt, which the chapters include.
func TestGoldenHello(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{})
	token := s.token(t)
	records := s.inspector(t, token)

	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(ioTimeout))
	request := "GET /ws?inspect=" + token + " HTTP/1.1\r\n" +
		"Host: localhost:1234\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Origin: http://localhost:1234\r\n" +
		"Sec-WebSocket-Key: f7cb4ezEAl6C3wRaU6JORA==\r\n" +
		"Sec-WebSocket-Version: 13\r\n\r\n"
	_, err = conn.Write([]byte(request))
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
	}
	hs := next(t, records)
	require.NotNil(t, hs.Handshake)
	golden(t, "hello-handshake.txt", showHandshake(hs.Handshake, token))

	steps := []struct {
		file string // the golden file the step's rows go to
		op   handshake.Opcode
		msg  string
	}{
		{"hello-frames.txt", handshake.OpText, "Hello"},
		{"lengths-frames.txt", handshake.OpBinary, "Hi!"},
		{"lengths-frames.txt", handshake.OpText, strings.Repeat("x", 200)},
		{"lengths-frames.txt", handshake.OpText, strings.Repeat("y", 70000)},
		{"close-frames.txt", handshake.OpClose, "\x03\xe8bye"},
	}
	rows := map[string]*strings.Builder{}
	var files []string
	for _, step := range steps {
		_, err = conn.Write(clientFrame(step.op, []byte(step.msg)))
		require.NoError(t, err)
		skipFrame(t, br)
		if rows[step.file] == nil {
			rows[step.file] = new(strings.Builder)
			files = append(files, step.file)
		}
		for range 2 { // in, then out
			r := next(t, records)
			require.NotNil(t, r.Frame, "%s: got %+v", step.file, r)
			rows[step.file].WriteString(showFrame(r.Frame))
		}
	}
	assert.Equal(t, KindClosed, next(t, records).Kind)
	for _, f := range files {
		golden(t, f, rows[f].String())
	}
}

// skipFrame reads one frame from br and throws it away.
func skipFrame(t *testing.T, br *bufio.Reader) {
	t.Helper()
	for n := 2; ; n++ {
		b, err := br.Peek(n)
		require.NoError(t, err)
		if h, size, err := handshake.ParseFrameHeader(b); err == nil {
			_, err := br.Discard(size + int(h.Length))
			require.NoError(t, err)
			return
		}
	}
}

// showHandshake writes a handshake record as the #handshake panel shows it,
// the token replaced by TOKEN.
func showHandshake(h *Handshake, token string) string {
	var b strings.Builder
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(h.Request, token, "TOKEN"), "\r\n", "\n"))
	b.WriteString(strings.ReplaceAll(h.Response, "\r\n", "\n"))
	fmt.Fprintf(&b, "Sec-WebSocket-Key:          %s\n", h.Key)
	fmt.Fprintf(&b, "Sec-WebSocket-Accept sent:  %s\n", h.Accept)
	fmt.Fprintf(&b, "AcceptKey(key), by the tap: %s\n", h.Expected)
	return b.String()
}

// showFrame writes a frame record as a row of the #frames panel shows it.
func showFrame(f *Frame) string {
	arrow := "→ in "
	if f.Dir == Out {
		arrow = "← out"
	}
	more := "" // as in the panel: the payload goes on past what is shown
	if uint64(f.Shown) < f.Len {
		more = " …"
	}
	key, sent := "—", "—"
	if f.Mask {
		key, sent = f.Key, wrapHex(f.Sent)+more
	}
	text := "—"
	switch {
	case f.Name == "close" && f.CloseError == "":
		text = fmt.Sprintf("code %d", f.CloseCode)
		if f.CloseReason != "" {
			text += fmt.Sprintf(", reason %q", f.CloseReason)
		}
	case f.Text != nil:
		text = fmt.Sprintf("%q%s", *f.Text, strings.TrimSpace(more))
	}
	payload := wrapHex(f.Payload) + more
	if strings.Contains(payload, "\n") {
		payload += "\n" + hexIndent + text // after 16 bytes, the text goes under them
	} else {
		payload += "  " + text
	}
	return fmt.Sprintf("%s FIN=%d RSV=%03b opcode=%d (%s) MASK=%d len=%d (%d-bit) key=%s\n      as sent: %s\n      payload: %s\n",
		arrow, b2i(f.Fin), f.RSV, f.Opcode, f.Name, b2i(f.Mask), f.Len, f.LenBits, key, sent, payload)
}

// hexIndent lines a wrapped row of bytes up under the first, after
// "      payload: ".
const hexIndent = "               "

// wrapHex breaks spaced hex bytes ("4f 82 59 …") into lines of 16 bytes,
// so that the panel's 32 bytes fit the book's 90 columns.
func wrapHex(s string) string {
	const perLine = 16 * 3 // "4f " per byte
	var b strings.Builder
	for len(s) > perLine {
		b.WriteString(s[:perLine-1] + "\n" + hexIndent)
		s = s[perLine:]
	}
	b.WriteString(s)
	return b.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
