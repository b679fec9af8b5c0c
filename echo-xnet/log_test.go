package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logLines collects what the default slog logger writes, one JSON record
// per line, until the test ends.
type logLines struct {
	mu    sync.Mutex
	lines []map[string]any
	added chan struct{}
}

func captureLog(t *testing.T) *logLines {
	l := &logLines{added: make(chan struct{}, 1)}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(l, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return l
}

// Write takes one record from slog's JSON handler.
func (l *logLines) Write(p []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil {
		return 0, err
	}
	l.mu.Lock()
	l.lines = append(l.lines, m)
	l.mu.Unlock()
	select {
	case l.added <- struct{}{}:
	default:
	}
	return len(p), nil
}

// about returns the lines about the peer at remote (as the server saw it).
func (l *logLines) about(remote string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, m := range l.lines {
		if m["remote"] == remote {
			out = append(out, m)
		}
	}
	return out
}

// waitFor waits until a line about remote is logged and returns the lines.
func (l *logLines) waitFor(t *testing.T, remote string) []map[string]any {
	t.Helper()
	deadline := time.After(testBound)
	for {
		if lines := l.about(remote); len(lines) > 0 {
			return lines
		}
		select {
		case <-l.added:
		case <-deadline:
			t.Fatalf("nothing was logged about %s", remote)
		}
	}
}

// TestLogsRefusalsAndFailures: a refused handshake and a connection that
// ends in a failure each write one line, with what an operator needs; a
// normal close writes none. Strings the client chose are quoted.
func TestLogsRefusalsAndFailures(t *testing.T) {
	refusals := []struct {
		name   string
		header string
		status int
		reason string
	}{
		{"a cross-site page", "Origin: http://evil.example\r\nSec-WebSocket-Version: 13", http.StatusForbidden, "http://evil.example"},
		{"an unknown protocol version", "Sec-WebSocket-Version: 8", http.StatusBadRequest, "Version"},
	}
	for _, tc := range refusals {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			logs := captureLog(t)
			url := startEcho(t, &echoServer{prefix: prefix, tracker: newRecorder()})
			host := strings.TrimPrefix(url, "ws://")
			c, resp := requestRaw(t, host, "GET / HTTP/1.1\r\nHost: "+host+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
				"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"+tc.header+"\r\n\r\n")
			require.Equal(t, tc.status, resp.StatusCode)
			lines := logs.waitFor(t, c.LocalAddr().String())
			require.Len(t, lines, 1)
			assert.Equal(t, "refused", lines[0]["msg"])
			assert.Equal(t, float64(tc.status), lines[0]["status"])
			assert.Contains(t, lines[0]["reason"], tc.reason)
		})
	}

	// Built once, up front: masking 1 MiB under -race takes longer than the
	// test's pongWait, and the silence would end the connection first.
	tooBig := clientFrame(websocket.BinaryMessage, make([]byte, maxMessageSize+1))
	failures := []struct {
		name   string
		act    func(t *testing.T, c *rawConn)
		code   int
		reason string
	}{
		{"a message over 1 MiB", func(t *testing.T, c *rawConn) {
			c.send(t, tooBig)
			c.answerClose(t)
		}, closeTooBig, "1 MiB"},
		{"invalid UTF-8", func(t *testing.T, c *rawConn) {
			c.send(t, clientFrame(websocket.TextMessage, []byte("\xff")))
			c.answerClose(t)
		}, closeInvalidData, "UTF-8"},
		{"a silent peer", func(*testing.T, *rawConn) {}, closeAbnormal, "pongWait"},
		{"a hang-up without a close frame", func(t *testing.T, c *rawConn) { c.Close() }, closeAbnormal, "without a close frame"},
		{"a normal close", func(t *testing.T, c *rawConn) {
			c.send(t, clientFrame(websocket.CloseMessage, []byte{0x03, 0xe8}))
			c.answerClose(t)
		}, 0, ""},
	}
	for _, tc := range failures {
		t.Run("failed: "+tc.name, func(t *testing.T) {
			logs := captureLog(t)
			rec := newRecorder()
			c := dialRaw(t, startEcho(t, &echoServer{prefix: prefix, tracker: rec, pingPeriod: testPingPeriod, pongWait: testPongWait}))
			remote := c.LocalAddr().String()
			rec.waitTracked(t)
			tc.act(t, c)
			rec.waitDone(t, 0, testBound)
			lines := logs.about(remote)
			if tc.code == 0 {
				assert.Empty(t, lines, "a normal close is no failure")
				return
			}
			require.Len(t, lines, 1)
			assert.Equal(t, "connection failed", lines[0]["msg"])
			assert.Equal(t, float64(tc.code), lines[0]["code"])
			assert.Contains(t, lines[0]["reason"], tc.reason)
		})
	}
}
