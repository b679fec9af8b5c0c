package header

import "errors"

// Header is a frame header (RFC 6455 §5.2).
type Header struct {
	Fin    bool
	Opcode byte
	Masked bool
	Key    [4]byte // used when Masked
	Length uint64
}

// ErrShort is Parse's answer when b holds only the start of a header.
var ErrShort = errors.New("header: too short")

// ErrNonMinimal is Parse's answer to a length in a longer form than it
// needs (RFC 6455 §5.2: "the minimal number of bytes MUST be used").
var ErrNonMinimal = errors.New("header: the length is not in its shortest form")

// ErrTooLong is Parse's answer to a 64-bit length with its top bit set
// (RFC 6455 §5.2: "the most significant bit MUST be 0").
var ErrTooLong = errors.New("header: a 64-bit length with its top bit set")
