// Command 4-frames is step 4 of the chapter "The opening handshake", and
// the first of the chapter "Frames": after the 101, step 3 read and
// dropped whatever came. This step reads each frame, unmasks it, and
// echoes it, with a limit on its size: a by-hand echo server in one file.
// The chapter's final code is package handshake and handshake/echo, which
// add fragments, UTF-8, close codes, deadlines and keepalive.
//
//	go run ./handshake/steps/4-frames   # then ws://localhost:1234/ws
package main

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// guid is the fixed string of RFC 6455 §1.3 that the server appends to the
// client's key before hashing.
const guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// acceptKey is the Sec-WebSocket-Accept value for a key (§4.2.2): the
// base64 of the SHA-1 of key + guid, the key taken as the text it is.
func acceptKey(key string) string {
	sum := sha1.Sum([]byte(key + guid))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// check applies the server's checks of RFC 6455 §4.2.1 in the RFC's order
// and returns the first failure: its status, a header to send with it
// ("Name: value", or ""), and the reason; a status of 0 means none failed.
func check(r *http.Request) (status int, header, reason string) {
	key, err := base64.StdEncoding.DecodeString(r.Header.Get("Sec-WebSocket-Key"))
	switch {
	case r.Method != http.MethodGet:
		return http.StatusMethodNotAllowed, "Allow: GET", "a handshake is a GET"
	case !r.ProtoAtLeast(1, 1):
		return http.StatusBadRequest, "", "a handshake needs HTTP/1.1"
	case !hasToken(r.Header, "Upgrade", "websocket"):
		return http.StatusBadRequest, "", `Upgrade must contain "websocket"`
	case !hasToken(r.Header, "Connection", "upgrade"):
		return http.StatusBadRequest, "", `Connection must contain "Upgrade"`
	case err != nil || len(key) != 16 || len(r.Header.Values("Sec-WebSocket-Key")) != 1:
		return http.StatusBadRequest, "", "the key must be the base64 of 16 bytes"
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return http.StatusUpgradeRequired, "Sec-WebSocket-Version: 13", "only version 13"
	case !sameOrigin(r):
		return http.StatusForbidden, "", "cross-origin: " + r.Header.Get("Origin")
	}
	return 0, "", ""
}

// hasToken reports whether a comma-separated header holds token, in any
// case: "Connection: keep-alive, Upgrade" holds "upgrade".
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

// sameOrigin accepts no Origin (a program, not a page) or this host's own.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// upgrade takes the connection from net/http and writes the 101 itself:
// from the blank line on, the connection no longer speaks HTTP.
func upgrade(w http.ResponseWriter, r *http.Request) {
	if status, header, reason := check(r); status != 0 {
		if header != "" {
			name, value, _ := strings.Cut(header, ": ")
			w.Header().Set(name, value)
		}
		http.Error(w, reason, status)
		return
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot take over the connection", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + acceptKey(r.Header.Get("Sec-WebSocket-Key")) + "\r\n" +
		"\r\n")
	if rw.Flush() == nil {
		echo(rw)
	}
}

// ANCHOR: frame

// maxPayload is the largest frame echo reads: 1 MiB.
const maxPayload = 1 << 20

// Opcodes (RFC 6455 §5.2) and the close code this step sends (§7.4.1).
const (
	opText, opBinary, opClose, opPing, opPong = 1, 2, 8, 9, 10
	closeProtocolError, closeTooBig           = 1002, 1009
)

// The frames readFrame refuses: a client must mask every frame it sends
// (§5.1), and this server reads none over maxPayload.
var (
	errUnmasked = errors.New("a client's frame must be masked")
	errTooBig   = errors.New("a frame over the limit")
)

// readFrame reads one frame (§5.2): FIN and the opcode; the mask bit and a
// 7-bit length, followed by 16 or 64 bits of length when it says 126 or
// 127; the 4-byte masking key; then the payload, unmasked (§5.3). It
// refuses a length over maxPayload before it allocates anything.
func readFrame(r io.Reader) (opcode byte, payload []byte, err error) {
	var h [8]byte
	if _, err = io.ReadFull(r, h[:2]); err != nil {
		return 0, nil, err
	}
	opcode, masked, n := h[0]&0x0F, h[1]&0x80 != 0, uint64(h[1]&0x7F)
	switch n {
	case 126:
		_, err = io.ReadFull(r, h[:2])
		n = uint64(binary.BigEndian.Uint16(h[:2]))
	case 127:
		_, err = io.ReadFull(r, h[:8])
		n = binary.BigEndian.Uint64(h[:8])
	}
	switch {
	case err != nil:
		return 0, nil, err
	case !masked:
		return 0, nil, errUnmasked
	case n > maxPayload:
		return 0, nil, fmt.Errorf("%w: %d bytes", errTooBig, n)
	}
	var key [4]byte
	if _, err = io.ReadFull(r, key[:]); err != nil {
		return 0, nil, err
	}
	payload = make([]byte, n)
	if _, err = io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	for i := range payload {
		payload[i] ^= key[i%4]
	}
	return opcode, payload, nil
}

// writeFrame writes one whole, unmasked frame: a server never masks.
func writeFrame(w *bufio.Writer, opcode byte, payload []byte) error {
	_ = w.WriteByte(0x80 | opcode) // FIN: the whole message in one frame
	switch n := len(payload); {
	case n < 126:
		_ = w.WriteByte(byte(n))
	case n <= 0xFFFF:
		_ = w.WriteByte(126)
		_ = binary.Write(w, binary.BigEndian, uint16(n))
	default:
		_ = w.WriteByte(127)
		_ = binary.Write(w, binary.BigEndian, uint64(n))
	}
	_, _ = w.Write(payload)
	return w.Flush()
}

// ANCHOR_END: frame

// ANCHOR: echo

// echo answers frames until the client closes or a frame is refused: text
// comes back with "Received: " in front, binary as it came, a ping as a
// pong, and a close as the same close (§5.5.1). Fragmented messages
// (§5.4) are the final code's, package handshake.
func echo(rw *bufio.ReadWriter) {
	for {
		opcode, payload, err := readFrame(rw)
		switch {
		case errors.Is(err, errTooBig):
			refuse(rw.Writer, closeTooBig)
			return
		case errors.Is(err, errUnmasked):
			refuse(rw.Writer, closeProtocolError)
			return
		case err != nil:
			return // the client hung up
		}
		switch opcode {
		case opText:
			err = writeFrame(rw.Writer, opText, append([]byte("Received: "), payload...))
		case opBinary:
			err = writeFrame(rw.Writer, opBinary, payload)
		case opPing:
			err = writeFrame(rw.Writer, opPong, payload)
		case opClose:
			_ = writeFrame(rw.Writer, opClose, payload)
			return
		}
		if err != nil {
			return
		}
	}
}

// ANCHOR_END: echo

// refuse sends a close frame with code. (The final code then waits for
// the client's close, so that TCP does not reset the connection under
// our close while unread bytes remain: see the chapter "Frames".)
func refuse(w *bufio.Writer, code uint16) {
	_ = writeFrame(w, opClose, binary.BigEndian.AppendUint16(nil, code))
}

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.HandleFunc("/ws", upgrade)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
