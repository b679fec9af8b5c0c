package tap

import (
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/websocket-in-go/workbook/handshake"
)

// The kinds of Record.
const (
	KindHandshake = "handshake" // the upgrade request and its response
	KindFrame     = "frame"     // one frame, either way
	KindDropped   = "dropped"   // records lost because the inspector fell behind
	KindClosed    = "closed"    // the TCP connection is closed
)

// The directions of a Frame, as a network inspector names them from the
// server's side.
const (
	In  = "in"  // client to server: read by the server
	Out = "out" // server to client: written by the server
)

// shownBytes is how much of a payload a Frame shows: its first 32 bytes. A
// record never copies a whole payload, whatever its size.
const shownBytes = 32

// ANCHOR: record

// Record is what the inspector sends the page, one JSON text message each.
type Record struct {
	// Kind is KindHandshake, KindFrame, KindDropped or KindClosed.
	Kind string `json:"kind"`
	// Handshake is set for KindHandshake.
	Handshake *Handshake `json:"handshake,omitempty"`
	// Frame is set for KindFrame.
	Frame *Frame `json:"frame,omitempty"`
	// Dropped counts the records lost just before this one (KindDropped).
	Dropped int `json:"dropped,omitempty"`
}

// Handshake is the opening handshake as it crossed the wire.
type Handshake struct {
	// Request is the client's request line and headers, byte for byte but
	// for the values of Cookie, Authorization and Proxy-Authorization,
	// which are replaced by their length: a page may not read them.
	Request string `json:"request"`
	// Response is the server's status line and headers, byte for byte but
	// for the values of Set-Cookie, likewise.
	Response string `json:"response"`
	// Status is the response's status code: 101 when the upgrade succeeded.
	Status int `json:"status"`
	// Key is the request's Sec-WebSocket-Key.
	Key string `json:"key"`
	// Accept is the response's Sec-WebSocket-Accept: what the server
	// computed from Key.
	Accept string `json:"accept"`
	// Expected is handshake.AcceptKey(Key): what RFC 6455 §4.2.2 says the
	// server must answer.
	Expected string `json:"expected"`
}

// Frame is one frame as it crossed the wire.
type Frame struct {
	// Dir is In (client to server) or Out (server to client).
	Dir string `json:"dir"`
	// Fin, RSV (0–7, RSV1 is 4), Opcode and Mask are the header's bits.
	Fin    bool   `json:"fin"`
	RSV    byte   `json:"rsv"`
	Opcode byte   `json:"opcode"`
	Mask   bool   `json:"mask"`
	Name   string `json:"name"` // the opcode's name: "text", "close", …
	// Len is the payload length, and LenBits the form it took on the
	// wire: 7, 16 or 64.
	Len     uint64 `json:"len"`
	LenBits int    `json:"lenBits"`
	// Header is the header's bytes in hex, Key the masking key in hex
	// (empty when Mask is false).
	Header string `json:"header"`
	Key    string `json:"key,omitempty"`
	// Sent is the first up to 32 payload bytes in hex as they crossed the
	// wire (masked, if Mask), Payload the same bytes unmasked, and Text
	// those bytes as text, when they are UTF-8 (a character cut at the
	// 32nd byte is left out). Shown says how many bytes they are.
	Sent    string  `json:"sent"`
	Payload string  `json:"payload"`
	Text    *string `json:"text,omitempty"`
	Shown   int     `json:"shown"`
	// Compressed is set on the frames of a message that permessage-deflate
	// compressed (RFC 7692): their payload is deflate data. On the last of
	// them, Inflated is the first up to 32 bytes of the whole message
	// inflated, in hex, InflatedLen its length, and Text those bytes as
	// text; or InflateError says why the message was not inflated.
	Compressed   bool   `json:"compressed,omitempty"`
	Inflated     string `json:"inflated,omitempty"`
	InflatedLen  int    `json:"inflatedLen,omitempty"`
	InflateError string `json:"inflateError,omitempty"`
	// CloseCode and CloseReason are a close frame's body; CloseError says
	// what is wrong with a body that breaks §5.5.1.
	CloseCode   int    `json:"closeCode,omitempty"`
	CloseReason string `json:"closeReason,omitempty"`
	CloseError  string `json:"closeError,omitempty"`
}

// ANCHOR_END: record

// newFrame describes a frame: its header h, encoded as hdr, and the first
// bytes of its payload as they crossed the wire (all of it, for a control
// frame; at most shownBytes for a data frame).
func newFrame(dir string, hdr []byte, h handshake.FrameHeader, sent []byte) *Frame {
	plain := append([]byte(nil), sent...)
	if h.Masked {
		handshake.ApplyMask(h.Key, 0, plain)
	}
	shown := min(len(sent), shownBytes)
	f := &Frame{
		Dir: dir, Fin: h.Fin, RSV: h.RSV, Opcode: byte(h.Opcode), Mask: h.Masked, Name: h.Opcode.Name(),
		Len: h.Length, LenBits: h.LengthBits, Header: spaced(hdr),
		Sent: spaced(sent[:shown]), Payload: spaced(plain[:shown]), Shown: shown,
	}
	if h.Masked {
		f.Key = spaced(h.Key[:])
	}
	if h.Opcode == handshake.OpClose {
		code, reason, err := handshake.ParseCloseBody(plain)
		if err != nil {
			f.CloseError = err.Error()
		} else {
			f.CloseCode, f.CloseReason = code, reason
		}
	}
	if text, ok := asText(plain[:shown], uint64(shown) < h.Length); ok {
		f.Text = &text
	}
	return f
}

// asText returns b as text if it is UTF-8. If b is cut from a longer
// payload, a character cut at its end (up to 3 bytes) is left out.
func asText(b []byte, cut bool) (string, bool) {
	if cut {
		for i := 0; i < utf8.UTFMax-1 && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	if !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}

// spaced is b in hex, a space between bytes: "81 85 37 fa".
func spaced(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		s.WriteString(hex.EncodeToString([]byte{c}))
	}
	return s.String()
}
