package handshake

import (
	"bufio"
	"encoding/hex"
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
)

// update rewrites the golden transcripts: go test ./handshake -run Transcript -update
var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create %s", path)
	assert.Equal(t, string(want), got, "%s is out of date: run go test ./handshake -run Transcript -update", path)
}

// TestTranscript records a real conversation with the by-hand server on
// loopback, byte for byte, as the book shows it: the opening handshake with
// the original chapter's key, then a text message and the closing
// handshake. The Host header is fixed so the transcript does not depend on
// the port the test happened to get.
func TestTranscript(t *testing.T) {
	url := startEcho(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "ws://"))
	require.NoError(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(testTimeout))

	request := "GET /ws HTTP/1.1\r\n" +
		"Host: localhost:1234\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Origin: http://localhost:1234\r\n" +
		"Sec-WebSocket-Key: f7cb4ezEAl6C3wRaU6JORA==\r\n" +
		"Sec-WebSocket-Version: 13\r\n\r\n"
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
	require.Zero(t, br.Buffered(), "the server sent nothing after its 101 response")
	golden(t, "handshake-request.txt", strings.ReplaceAll(request, "\r\n", "\n"))
	golden(t, "handshake-response.txt", strings.ReplaceAll(response.String(), "\r\n", "\n"))

	// Then frames, with the masking key of RFC 6455 §5.7.
	p := &rawPeer{t: t, conn: conn}
	var frames strings.Builder
	show := func(dir string, wire []byte, what string) {
		fmt.Fprintf(&frames, "%s %-51s %s\n", dir, spaced(wire), what)
	}
	hello := client(OpText, "Hello")
	p.send(hello)
	show("→", hello, `client: "Hello", key 37 fa 21 3d`)
	h, payload := p.next()
	show("←", append(appendHeader(nil, &h), payload...), fmt.Sprintf("server: %q, no mask", payload))
	bye := client(OpClose, closeBody(CloseNormal, ""))
	p.send(bye)
	show("→", bye, "client: close 1000 (03 e8), masked")
	h, payload = p.next()
	show("←", append(appendHeader(nil, &h), payload...), "server: close, the same 1000 back")
	golden(t, "echo-frames.txt", frames.String())
}

// spaced prints bytes as hex pairs: "81 85 37 fa".
func spaced(b []byte) string {
	s := hex.EncodeToString(b)
	var out strings.Builder
	for i := 0; i < len(s); i += 2 {
		if i > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(s[i : i+2])
	}
	return out.String()
}
