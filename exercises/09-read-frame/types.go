package readframe

import "errors"

// MaxPayload is the largest payload ReadFrame accepts.
const MaxPayload = 1 << 20

// ErrTooBig is returned for a frame whose length is over MaxPayload.
var ErrTooBig = errors.New("frame payload too big")

// Frame is one frame, its payload unmasked.
type Frame struct {
	Fin     bool
	Opcode  byte
	Payload []byte
}
