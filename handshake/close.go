package handshake

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// Close codes of RFC 6455 §7.4.1 (and the IANA registry of §11.7) that this
// package sends or names.
const (
	CloseNormal          = 1000 // the purpose of the connection is fulfilled
	CloseGoingAway       = 1001 // server shutting down, or browser leaving the page
	CloseProtocolError   = 1002 // the peer broke a rule of the protocol
	CloseUnsupportedData = 1003 // a type of data the endpoint cannot accept
	CloseNoStatus        = 1005 // never sent: the close frame had no code
	CloseAbnormal        = 1006 // never sent: the connection dropped with no close frame
	CloseInvalidData     = 1007 // e.g. a text message that is not UTF-8
	ClosePolicyViolation = 1008 // a generic "no"
	CloseTooBig          = 1009 // a message too big to process
	CloseInternalError   = 1011 // the server hit an unexpected condition
)

// ANCHOR: valid-code

// validCloseCode reports whether code may appear in a close frame on the
// wire (RFC 6455 §7.4.1, §7.4.2 and the IANA registry):
//
//   - 0–999 are not used;
//   - 1004 is reserved, and 1005, 1006 and 1015 are only for reporting
//     locally, never for sending;
//   - 1016–2999 are for future versions of the protocol: unassigned;
//   - 1000–1003, 1007–1014 are assigned; 3000–3999 are registered for
//     libraries and applications, 4000–4999 are private: all fine.
func validCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003:
		return true
	case code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// ANCHOR_END: valid-code

// CloseError is how a connection ended with a close frame: the code and
// reason the peer sent (Code is CloseNoStatus when its frame had no body),
// or the code we sent when we failed the connection.
type CloseError struct {
	Code   int
	Reason string
	// Sent is true when we failed the connection because the peer broke a
	// rule, false when the peer closed it.
	Sent bool
}

// Error describes the close.
func (e *CloseError) Error() string {
	who := "peer closed"
	if e.Sent {
		who = "failed the connection"
	}
	if e.Reason == "" {
		return fmt.Sprintf("websocket: %s with code %d", who, e.Code)
	}
	return fmt.Sprintf("websocket: %s with code %d: %s", who, e.Code, e.Reason)
}

// ANCHOR: parse-close

// parseClose reads a close frame's body (§5.5.1): empty, or a 2-byte code
// in network order followed by a UTF-8 reason. A broken body is answered
// with the code the returned error carries: 1002 for a 1-byte body or a
// code that may not be sent, 1007 for a reason that is not UTF-8.
func parseClose(body []byte) (code int, reason string, err *CloseError) {
	switch {
	case len(body) == 0:
		return CloseNoStatus, "", nil
	case len(body) == 1:
		return 0, "", &CloseError{Code: CloseProtocolError, Reason: "close frame body of 1 byte", Sent: true}
	}
	code = int(binary.BigEndian.Uint16(body))
	if !validCloseCode(code) {
		return 0, "", &CloseError{Code: CloseProtocolError, Reason: fmt.Sprintf("close code %d may not be sent", code), Sent: true}
	}
	if !utf8.Valid(body[2:]) {
		return 0, "", &CloseError{Code: CloseInvalidData, Reason: "close reason is not UTF-8", Sent: true}
	}
	return code, string(body[2:]), nil
}

// ANCHOR_END: parse-close

// appendCloseBody appends a close frame's body: code, then reason. A reason
// is cut to fit the 125-byte limit of a control frame (§5.5).
func appendCloseBody(b []byte, code int, reason string) []byte {
	if len(reason) > maxControlPayload-2 {
		reason = reason[:maxControlPayload-2]
		for !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	b = binary.BigEndian.AppendUint16(b, uint16(code))
	return append(b, reason...)
}
