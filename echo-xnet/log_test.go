package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

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
			logs := webtest.CaptureLog(t)
			url := startEcho(t, &echoServer{prefix: prefix, tracker: webtest.NewRecorder()})
			host := strings.TrimPrefix(url, "ws://")
			c, resp := webtest.RequestRaw(t, host, "GET / HTTP/1.1\r\nHost: "+host+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
				"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"+tc.header+"\r\n\r\n")
			require.Equal(t, tc.status, resp.StatusCode)
			lines := logs.WaitFor(t, c.LocalAddr().String())
			require.Len(t, lines, 1)
			assert.Equal(t, "refused", lines[0]["msg"])
			assert.Equal(t, float64(tc.status), lines[0]["status"])
			assert.Contains(t, lines[0]["reason"], tc.reason)
		})
	}

	// Built once, up front: masking 1 MiB under -race takes longer than the
	// test's pongWait, and the silence would end the connection first.
	tooBig := webtest.ClientFrame(websocket.BinaryMessage, make([]byte, maxMessageSize+1))
	failures := []struct {
		name   string
		act    func(t *testing.T, c *webtest.RawConn)
		code   int
		reason string
	}{
		{"a message over 1 MiB", func(t *testing.T, c *webtest.RawConn) {
			c.Send(t, tooBig)
			c.AnswerClose(t)
		}, closeTooBig, "1 MiB"},
		{"invalid UTF-8", func(t *testing.T, c *webtest.RawConn) {
			c.Send(t, webtest.ClientFrame(websocket.TextMessage, []byte("\xff")))
			c.AnswerClose(t)
		}, closeInvalidData, "UTF-8"},
		{"a silent peer", func(*testing.T, *webtest.RawConn) {}, closeAbnormal, "pongWait"},
		{"a hang-up without a close frame", func(t *testing.T, c *webtest.RawConn) { c.Close() }, closeAbnormal, "without a close frame"},
		{"a normal close", func(t *testing.T, c *webtest.RawConn) {
			c.Send(t, webtest.ClientFrame(websocket.CloseMessage, []byte{0x03, 0xe8}))
			c.AnswerClose(t)
		}, 0, ""},
	}
	for _, tc := range failures {
		t.Run("failed: "+tc.name, func(t *testing.T) {
			logs := webtest.CaptureLog(t)
			rec := webtest.NewRecorder()
			// Only the silent peer waits out the short pongWait; the others
			// get a long one, so that on a loaded machine the keepalive does
			// not end their connection before their own act does.
			pongWait := 10 * time.Second
			if tc.reason == "pongWait" {
				pongWait = testPongWait
			}
			c := webtest.DialRaw(t, startEcho(t, &echoServer{prefix: prefix, tracker: rec, pingPeriod: testPingPeriod, pongWait: pongWait}))
			remote := c.LocalAddr().String()
			rec.WaitTracked(t)
			tc.act(t, c)
			rec.WaitDone(t, 0, testBound)
			lines := logs.About(remote)
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
