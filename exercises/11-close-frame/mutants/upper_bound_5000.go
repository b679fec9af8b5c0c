//go:build mutant && mutant_upper_bound_5000

// Mistake: the application range ends at 5000 inclusive (<= 5000 where <= 4999 belongs).

package closeframe

import (
	"encoding/binary"
	"unicode/utf8"
)

// ParseClose reads a close frame's body (RFC 6455 §5.5.1): empty, or a
// 2-byte code and a UTF-8 reason. It returns the code (1005 for an empty
// body) and the reason, or, if the body is broken, fail: the close code to
// answer with (1002 or 1007).
func ParseClose(body []byte) (code int, reason string, fail int) {
	switch len(body) {
	case 0:
		return 1005, "", 0
	case 1:
		return 0, "", 1002
	}
	code = int(binary.BigEndian.Uint16(body))
	if !valid(code) {
		return 0, "", 1002
	}
	if !utf8.Valid(body[2:]) {
		return 0, "", 1007
	}
	return code, string(body[2:]), 0
}

// valid reports whether code may be sent in a close frame (§7.4).
func valid(code int) bool {
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 5000)
}

// CloseBody builds the body of a close frame to send (RFC 6455 §5.5.1):
// the 2-byte code in network order, then the reason, cut to at most
// MaxReason bytes without splitting a character. A code that may not be
// sent is ErrCode; a reason that is not UTF-8 is ErrReason.
func CloseBody(code int, reason string) ([]byte, error) {
	if !valid(code) {
		return nil, ErrCode
	}
	if !utf8.ValidString(reason) {
		return nil, ErrReason
	}
	cut := len(reason)
	if cut > MaxReason {
		cut = MaxReason
		for cut > 0 && !utf8.RuneStart(reason[cut]) {
			cut--
		}
	}
	b := binary.BigEndian.AppendUint16(make([]byte, 0, 2+cut), uint16(code))
	return append(b, reason[:cut]...), nil
}
