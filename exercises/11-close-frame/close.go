//go:build !solution && !mutant

package closeframe

// ParseClose reads a close frame's body (RFC 6455 §5.5.1): empty, or a
// 2-byte code and a UTF-8 reason. It returns the code (1005 for an empty
// body) and the reason, or, if the body is broken, fail: the close code to
// answer with (1002 or 1007).
func ParseClose(body []byte) (code int, reason string, fail int) {
	return 0, "", 0 // TODO
}

// CloseBody builds the body of a close frame to send (RFC 6455 §5.5.1):
// the 2-byte code in network order, then the reason, cut to at most
// MaxReason bytes without splitting a character. A code that may not be
// sent is ErrCode; a reason that is not UTF-8 is ErrReason.
func CloseBody(code int, reason string) ([]byte, error) {
	return nil, nil // TODO
}
