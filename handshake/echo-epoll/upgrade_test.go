package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseAndCheck: the hand-written parser and the checks of RFC 6455
// §4.2.1 on request heads, byte by byte.
func TestParseAndCheck(t *testing.T) {
	good := "GET /ws?x=1 HTTP/1.1\r\nHost: h:1\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	for _, tc := range []struct {
		name, head string
		status     int // 0: accepted
		exact      bool
	}{
		{"good, /ws", good, 0, false},
		{"good, /echo", strings.Replace(good, "/ws?x=1", "/echo", 1), 0, true},
		{"same origin", good + "Origin: http://h:1\r\n", 0, false},
		{"header names in any case", strings.ReplaceAll(good, "Sec-WebSocket-", "sec-websocket-"), 0, false},
		{"cross origin", good + "Origin: http://other:1\r\n", http.StatusForbidden, false},
		{"no Host", strings.Replace(good, "Host: h:1\r\n", "", 1), http.StatusBadRequest, false},
		{"two Hosts", good + "Host: h:2\r\n", http.StatusBadRequest, false},
		{"unknown path", strings.Replace(good, "/ws", "/", 1), http.StatusNotFound, false},
		{"PUT", strings.Replace(good, "GET", "PUT", 1), http.StatusMethodNotAllowed, false},
		{"a body", good + "Content-Length: 5\r\n", http.StatusBadRequest, false},
		{"chunked", good + "Transfer-Encoding: chunked\r\n", http.StatusBadRequest, false},
		{"HTTP/2.0", strings.Replace(good, "HTTP/1.1", "HTTP/2.0", 1), http.StatusBadRequest, false},
		{"no Connection: Upgrade", strings.Replace(good, "keep-alive, Upgrade", "keep-alive", 1), http.StatusBadRequest, false},
		{"two keys", good + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", http.StatusBadRequest, false},
		{"key not base64", strings.Replace(good, "dGhlIHNhbXBsZSBub25jZQ==", "!!!!", 1), http.StatusBadRequest, false},
		{"version 12", strings.Replace(good, "Version: 13", "Version: 12", 1), http.StatusUpgradeRequired, false},
		{"request line of two words", "GET /ws\r\nHost: h\r\n", http.StatusBadRequest, false},
		{"folded header", good + " folded\r\n", http.StatusBadRequest, false},
		{"space before the colon", good + "Host : h\r\n", http.StatusBadRequest, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := []byte(tc.head + "\r\n")
			require.Equal(t, len(head), headEnd(append(head, "next bytes"...)))
			r, f := parseRequest(head)
			exact := false
			if f == nil {
				exact, f = r.check()
			}
			if tc.status == 0 {
				require.Nil(t, f)
				assert.Equal(t, tc.exact, exact)
				return
			}
			require.NotNil(t, f)
			assert.Equal(t, tc.status, f.status, f.reason)
		})
	}
}

// TestHeadEnd: a head is used only once its blank line has arrived.
func TestHeadEnd(t *testing.T) {
	assert.Equal(t, 0, headEnd([]byte("GET / HTTP/1.1\r\nHost: h\r\n")))
	assert.Equal(t, 0, headEnd([]byte("GET / HTTP/1.1\r\nHost: h\r\n\r")))
	assert.Equal(t, 27, headEnd([]byte("GET / HTTP/1.1\r\nHost: h\r\n\r\n\x81")))
}

// TestResponses: the 101 carries the accept key of RFC 6455 §1.3's
// example; a refusal is a whole HTTP response that asks to close.
func TestResponses(t *testing.T) {
	assert.Equal(t, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", string(appendSwitching(nil, []byte("dGhlIHNhbXBsZSBub25jZQ=="))))
	got := string(appendRefusal(nil, &refusal{status: 426, reason: "only 13", extra: "Sec-WebSocket-Version: 13\r\n"}))
	assert.Equal(t, "HTTP/1.1 426 Upgrade Required\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"+
		"Connection: close\r\nContent-Length: 8\r\nSec-WebSocket-Version: 13\r\n\r\nonly 13\n", got)
}

// TestPoolZeroes: a buffer goes back to the pool zeroed, and a grown one
// does not go back at all.
func TestPoolZeroes(t *testing.T) {
	b := getBuf()
	*b = append(*b, "secret"...)
	putBuf(b)
	assert.Empty(t, *b)
	assert.Equal(t, make([]byte, bufSize), (*b)[:bufSize])
	big := make([]byte, 0, 2*bufSize)
	big = append(big, "kept"...)
	putBuf(&big)
	assert.Equal(t, "kept", string(big), "a buffer of another size is left alone")
}

// TestParseAllocatesNothing: a handshake without Origin leaves no garbage
// in the parser and the checks (the 101's accept key is computed apart).
func TestParseAllocatesNothing(t *testing.T) {
	head := []byte("GET /echo HTTP/1.1\r\nHost: h:1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	allocs := testing.AllocsPerRun(100, func() {
		r, f := parseRequest(head)
		if f != nil {
			panic(f.reason)
		}
		if _, f := r.check(); f != nil {
			panic(f.reason)
		}
	})
	assert.Zero(t, allocs)
}
