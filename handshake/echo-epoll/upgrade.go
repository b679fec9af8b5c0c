package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/websocket-in-go/workbook/handshake"
)

// maxRequest bounds the opening handshake: a request head that has not
// ended after 4 KiB is answered with 431 and closed. (A browser's is about
// 500 bytes; net/http allows 1 MiB, which is 1 MiB a connection may hold.)
const maxRequest = 4 << 10

// ANCHOR: request

// request is the part of an opening handshake (RFC 6455 §4.1) the server
// looks at, parsed by hand from the bytes of the request head. Its fields
// are slices of those bytes: parsing allocates nothing, so a hundred
// thousand handshakes leave no garbage behind.
type request struct {
	method, target, proto []byte
	hosts, keys           int    // how many Host and Sec-WebSocket-Key fields
	host, key             []byte // the first of each
	version, origin       []byte // the first Sec-WebSocket-Version and Origin
	upgrade, connection   bool   // Upgrade has "websocket", Connection has "upgrade"
	body                  bool   // a Transfer-Encoding, or a Content-Length other than 0
}

// ANCHOR_END: request

// refusal is a handshake the server answers with an HTTP error.
type refusal struct {
	status int
	reason string
	extra  string // more header lines, each ending in \r\n
}

// headEnd returns the length of the request head at the start of b,
// through its blank line, or 0 while it has not all arrived.
func headEnd(b []byte) int {
	if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
		return i + 4
	}
	return 0
}

// parseRequest parses a request head (the bytes through the blank line):
// the request line and the header fields (RFC 9112 §3, §5). A field is
// "name: value"; a line that starts with a space (obsolete folding), a name
// that is not a token, or a line without a colon is a 400.
func parseRequest(head []byte) (request, *refusal) {
	var r request
	line, rest := cutLine(head)
	var ok bool
	r.method, line, _ = bytes.Cut(line, []byte(" "))
	r.target, r.proto, ok = bytes.Cut(line, []byte(" "))
	if !ok || len(r.method) == 0 || len(r.target) == 0 || bytes.IndexByte(r.proto, ' ') >= 0 {
		return r, &refusal{status: http.StatusBadRequest, reason: "malformed request line"}
	}
	for len(rest) > 0 {
		line, rest = cutLine(rest)
		if len(line) == 0 {
			break // the blank line
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !isToken(name) {
			return r, &refusal{status: http.StatusBadRequest, reason: "malformed header line"}
		}
		r.field(name, bytes.Trim(value, " \t"))
	}
	return r, nil
}

// field records one header field, if it is one the handshake looks at.
// Names are case-insensitive (RFC 9110 §5.1).
func (r *request) field(name, value []byte) {
	switch {
	case equalFold(name, "Host"):
		if r.hosts++; r.hosts == 1 {
			r.host = value
		}
	case equalFold(name, "Sec-WebSocket-Key"):
		if r.keys++; r.keys == 1 {
			r.key = value
		}
	case equalFold(name, "Sec-WebSocket-Version"):
		if r.version == nil {
			r.version = value
		}
	case equalFold(name, "Origin"):
		if r.origin == nil {
			r.origin = value
		}
	case equalFold(name, "Upgrade"):
		r.upgrade = r.upgrade || hasToken(value, "websocket")
	case equalFold(name, "Connection"):
		r.connection = r.connection || hasToken(value, "upgrade")
	case equalFold(name, "Transfer-Encoding"):
		r.body = r.body || len(value) > 0
	case equalFold(name, "Content-Length"):
		r.body = r.body || !bytes.Equal(value, []byte("0"))
	}
}

// cutLine returns the line at the start of b, without its CRLF, and the rest.
func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.Index(b, []byte("\r\n")); i >= 0 {
		return b[:i], b[i+2:]
	}
	return b, nil
}

// equalFold reports whether b is s in any case of ASCII letters.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// isToken reports whether b is an HTTP token (RFC 9110 §5.6.2): a field
// name, with no space before its colon.
func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c >= 0x7F || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// hasToken reports whether a comma-separated value contains token, in any
// case: "keep-alive, Upgrade" has "upgrade".
func hasToken(value []byte, token string) bool {
	for len(value) > 0 {
		var t []byte
		t, value, _ = bytes.Cut(value, []byte(","))
		if equalFold(bytes.Trim(t, " \t"), token) {
			return true
		}
	}
	return false
}

// ANCHOR: checks

// check applies the server's checks of RFC 6455 §4.2.1 in the order
// handshake.Upgrade applies them, after the routing net/http would do
// (HTTP/1.1 requires Host; only /ws and /echo exist). It returns whether
// the echo is exact (/echo), or the refusal.
func (r *request) check() (exact bool, _ *refusal) {
	path, _, _ := bytes.Cut(r.target, []byte("?"))
	bad := func(reason string) (bool, *refusal) {
		return false, &refusal{status: http.StatusBadRequest, reason: reason}
	}
	switch {
	case string(r.proto) != "HTTP/1.1":
		return bad("a WebSocket handshake needs HTTP/1.1")
	case r.hosts != 1 || len(r.host) == 0:
		return bad("missing required Host header")
	case string(path) != "/ws" && string(path) != "/echo":
		return false, &refusal{status: http.StatusNotFound, reason: "404 page not found"}
	case string(r.method) != http.MethodGet:
		return false, &refusal{status: http.StatusMethodNotAllowed,
			reason: "a WebSocket handshake is a GET request", extra: "Allow: GET\r\n"}
	case r.body:
		return bad("a WebSocket handshake request has no body")
	case !r.upgrade:
		return bad(`the Upgrade header must contain "websocket"`)
	case !r.connection:
		return bad(`the Connection header must contain "Upgrade"`)
	case r.keys != 1 || !validKey(r.key):
		return bad("Sec-WebSocket-Key must be the base64 of 16 bytes")
	case string(r.version) != "13":
		return false, &refusal{status: http.StatusUpgradeRequired,
			reason: "only Sec-WebSocket-Version 13 is supported",
			extra:  "Sec-WebSocket-Version: 13\r\n"}
	case r.origin != nil && !sameOrigin(r.origin, r.host):
		return false, &refusal{status: http.StatusForbidden,
			reason: "cross-origin request from " + string(r.origin)}
	}
	return string(path) == "/echo", nil
}

// ANCHOR_END: checks

// sameOrigin is handshake.SameOrigin for a request that has an Origin
// (browsers always send one): the one place a handshake allocates.
func sameOrigin(origin, host []byte) bool {
	h := http.Header{"Origin": {string(origin)}}
	return handshake.SameOrigin(&http.Request{Header: h, Host: string(host)})
}

// validKey reports whether the key is the base64 of 16 bytes (§4.1).
func validKey(key []byte) bool {
	var raw [32]byte
	if base64.StdEncoding.DecodedLen(len(key)) > len(raw) {
		return false
	}
	n, err := base64.StdEncoding.Decode(raw[:], key)
	return err == nil && n == 16
}

// ANCHOR: switching

// appendSwitching appends the 101 response (§4.2.2): no extension, no
// subprotocol.
func appendSwitching(b []byte, key []byte) []byte {
	b = append(b, "HTTP/1.1 101 Switching Protocols\r\n"+
		"Upgrade: websocket\r\n"+
		"Connection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "...)
	b = append(b, handshake.AcceptKey(string(key))...)
	return append(b, "\r\n\r\n"...)
}

// ANCHOR_END: switching

// appendRefusal appends the error response for a refused handshake, as
// http.Error writes it, and asks the client to close.
func appendRefusal(b []byte, f *refusal) []byte {
	body := f.reason + "\n"
	b = fmt.Appendf(b, "HTTP/1.1 %d %s\r\n", f.status, http.StatusText(f.status))
	b = append(b, "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n"...)
	b = append(b, "Content-Length: "+strconv.Itoa(len(body))+"\r\n"...)
	b = append(b, f.extra...)
	b = append(b, "\r\n"...)
	return append(b, body...)
}
