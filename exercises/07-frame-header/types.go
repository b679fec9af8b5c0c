package header

// Header is a frame header (RFC 6455 §5.2).
type Header struct {
	Fin    bool
	Opcode byte
	Masked bool
	Key    [4]byte // used when Masked
	Length uint64
}
