//go:build !solution && !mutant

package closeframe

// ParseClose reads a close frame's body (RFC 6455 §5.5.1): empty, or a
// 2-byte code and a UTF-8 reason. It returns the code (1005 for an empty
// body) and the reason, or, if the body is broken, fail: the close code to
// answer with (1002 or 1007).
func ParseClose(body []byte) (code int, reason string, fail int) {
	return 0, "", 0 // TODO
}
