package closeframe

import "errors"

// MaxReason is the longest reason a close frame can carry: a control
// frame's payload is at most 125 bytes (RFC 6455 §5.5), and the code takes
// 2 of them.
const MaxReason = 123

// ErrCode is CloseBody's answer to a code that may not be sent (§7.4).
var ErrCode = errors.New("closeframe: this code may not be sent in a close frame")

// ErrReason is CloseBody's answer to a reason that is not UTF-8 (§5.5.1).
var ErrReason = errors.New("closeframe: the reason is not UTF-8")
