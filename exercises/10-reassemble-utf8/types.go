package assemble

// Frame is one data frame, already unmasked.
type Frame struct {
	Fin     bool
	Opcode  byte // 0x0 continuation, 0x1 text, 0x2 binary
	Payload []byte
}

// Close codes that Assemble returns.
const (
	ProtocolError = 1002
	InvalidData   = 1007
)
