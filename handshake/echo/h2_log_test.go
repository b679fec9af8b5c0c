package main

import (
	"bytes"
	"io"
	"log"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

// chromiumServerLog is the error log of a test's HTTP/2 server that
// Chromium visits. Chromium may open a spare connection and reset it before
// it sends the HTTP/2 preface; net/http logs that ("error reading preface
// from client … connection reset by peer"), some runs and not others. That
// line is dropped, so the tests' output is the same every run (the book
// shows it); every other line goes to standard error, as net/http's
// default log would.
func chromiumServerLog() *log.Logger {
	return log.New(dropPreface{os.Stderr}, "", log.LstdFlags)
}

// dropPreface writes every log line to w but the spare connection's.
type dropPreface struct{ w io.Writer }

func (d dropPreface) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("error reading preface from client")) {
		return len(p), nil
	}
	return d.w.Write(p)
}

// TestDropPrefaceKeepsOtherLines: only the spare connection's line is
// dropped; a real server error still reaches standard error.
func TestDropPrefaceKeepsOtherLines(t *testing.T) {
	cases := []struct {
		line string
		kept bool
	}{
		{"http2: server: error reading preface from client 127.0.0.1:1: read: connection reset by peer\n", false},
		{"http: TLS handshake error from 127.0.0.1:1: EOF\n", true},
		{"http2: server connection error from 127.0.0.1:1: connection error: PROTOCOL_ERROR\n", true},
	}
	for _, c := range cases {
		var out bytes.Buffer
		n, err := dropPreface{&out}.Write([]byte(c.line))
		assert.NoError(t, err)
		assert.Equal(t, len(c.line), n, "a dropped line is still written, as far as log knows")
		if c.kept {
			assert.Equal(t, c.line, out.String())
		} else {
			assert.Empty(t, out.String())
		}
	}
}
