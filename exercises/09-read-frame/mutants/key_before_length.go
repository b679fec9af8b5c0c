//go:build mutant && mutant_key_before_length

// Mistake: the masking key is read before the extended length.

package readframe

import (
	"encoding/binary"
	"io"
)

// ReadFrame reads one frame from r. A frame cut short returns
// io.ErrUnexpectedEOF; a length over MaxPayload returns ErrTooBig before
// any payload is read.
func ReadFrame(r io.Reader) (Frame, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, err
	}
	f := Frame{Fin: h[0]&0x80 != 0, Opcode: h[0] & 0x0F}
	length := uint64(h[1] & 0x7F)
	var key [4]byte
	masked := h[1]&0x80 != 0
	if masked {
		if _, err := io.ReadFull(r, key[:]); err != nil {
			return Frame{}, io.ErrUnexpectedEOF
		}
	}
	var ext [8]byte
	switch length {
	case 126:
		if _, err := io.ReadFull(r, ext[:2]); err != nil {
			return Frame{}, io.ErrUnexpectedEOF
		}
		length = uint64(binary.BigEndian.Uint16(ext[:2]))
	case 127:
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return Frame{}, io.ErrUnexpectedEOF
		}
		length = binary.BigEndian.Uint64(ext[:])
	}
	if length > MaxPayload {
		return Frame{}, ErrTooBig
	}
	f.Payload = make([]byte, length)
	if _, err := io.ReadFull(r, f.Payload); err != nil {
		return Frame{}, io.ErrUnexpectedEOF
	}
	if masked {
		for i := range f.Payload {
			f.Payload[i] ^= key[i%4]
		}
	}
	return f, nil
}
