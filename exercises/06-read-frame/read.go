//go:build !solution

// Package readframe is exercise 6 of the workbook "WebSocket in Go", for
// the chapter "Frames": parse one frame from a reader.
package readframe

import (
	"errors"
	"io"
)

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

// ReadFrame reads one frame from r. A frame cut short returns
// io.ErrUnexpectedEOF; a length over MaxPayload returns ErrTooBig before
// any payload is read.
func ReadFrame(r io.Reader) (Frame, error) {
	return Frame{}, errors.New("not implemented")
}
