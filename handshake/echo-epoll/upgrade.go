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
// looks at, parsed by hand from the bytes of the request head.
type request struct {
	method, target, proto string
	header                http.Header
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
func parseRequest(head []byte) (*request, *refusal) {
	lines := strings.Split(strings.TrimSuffix(string(head), "\r\n\r\n"), "\r\n")
	parts := strings.Split(lines[0], " ")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return nil, &refusal{status: http.StatusBadRequest, reason: "malformed request line"}
	}
	r := &request{method: parts[0], target: parts[1], proto: parts[2], header: http.Header{}}
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return nil, &refusal{status: http.StatusBadRequest, reason: "malformed header line"}
		}
		r.header.Add(name, strings.Trim(value, " \t"))
	}
	return r, nil
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2): a field
// name, with no space before its colon.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7F || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// ANCHOR: checks

// check applies the server's checks of RFC 6455 §4.2.1 in the order
// handshake.Upgrade applies them, after the routing net/http would do
// (HTTP/1.1 requires Host; only /ws and /echo exist). It returns whether
// the echo is exact (/echo), or the refusal.
func (r *request) check() (exact bool, _ *refusal) {
	path, _, _ := strings.Cut(r.target, "?")
	hosts := r.header.Values("Host")
	switch {
	case r.proto != "HTTP/1.1":
		return false, &refusal{status: http.StatusBadRequest, reason: "a WebSocket handshake needs HTTP/1.1"}
	case len(hosts) != 1 || hosts[0] == "":
		return false, &refusal{status: http.StatusBadRequest, reason: "missing required Host header"}
	case path != "/ws" && path != "/echo":
		return false, &refusal{status: http.StatusNotFound, reason: "404 page not found"}
	case r.method != http.MethodGet:
		return false, &refusal{status: http.StatusMethodNotAllowed, reason: "a WebSocket handshake is a GET request", extra: "Allow: GET\r\n"}
	case hasBody(r.header):
		return false, &refusal{status: http.StatusBadRequest, reason: "a WebSocket handshake request has no body"}
	case !hasToken(r.header, "Upgrade", "websocket"):
		return false, &refusal{status: http.StatusBadRequest, reason: `the Upgrade header must contain "websocket"`}
	case !hasToken(r.header, "Connection", "upgrade"):
		return false, &refusal{status: http.StatusBadRequest, reason: `the Connection header must contain "Upgrade"`}
	case !validKey(r.header.Values("Sec-WebSocket-Key")):
		return false, &refusal{status: http.StatusBadRequest, reason: "Sec-WebSocket-Key must be the base64 of 16 bytes"}
	case r.header.Get("Sec-WebSocket-Version") != "13":
		return false, &refusal{status: http.StatusUpgradeRequired, reason: "only Sec-WebSocket-Version 13 is supported", extra: "Sec-WebSocket-Version: 13\r\n"}
	case !handshake.SameOrigin(&http.Request{Header: r.header, Host: hosts[0]}):
		return false, &refusal{status: http.StatusForbidden, reason: "cross-origin request from " + r.header.Get("Origin")}
	}
	return path == "/echo", nil
}

// ANCHOR_END: checks

// hasBody reports whether the request announces a body (§4.1 sends none;
// its bytes would sit where the first frame belongs).
func hasBody(h http.Header) bool {
	if h.Get("Transfer-Encoding") != "" {
		return true
	}
	cl := h.Get("Content-Length")
	return cl != "" && cl != "0"
}

// hasToken reports whether a comma-separated header contains token, in any
// case: "Connection: keep-alive, Upgrade" has "upgrade".
func hasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// validKey reports whether there is exactly one key and it is the base64 of
// 16 bytes (§4.1).
func validKey(keys []string) bool {
	if len(keys) != 1 {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(keys[0])
	return err == nil && len(raw) == 16
}

// ANCHOR: switching

// appendSwitching appends the 101 response (§4.2.2): no extension, no
// subprotocol.
func appendSwitching(b []byte, key string) []byte {
	b = append(b, "HTTP/1.1 101 Switching Protocols\r\n"+
		"Upgrade: websocket\r\n"+
		"Connection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "...)
	b = append(b, handshake.AcceptKey(key)...)
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
