//go:build solution && !mutant

package header

import "encoding/binary"

// Append appends the encoding of h to b, with the shortest length form.
func Append(b []byte, h Header) []byte {
	b0 := h.Opcode & 0x0F
	if h.Fin {
		b0 |= 0x80
	}
	var mask byte
	if h.Masked {
		mask = 0x80
	}
	switch {
	case h.Length <= 125:
		b = append(b, b0, mask|byte(h.Length))
	case h.Length <= 0xFFFF:
		b = append(b, b0, mask|126)
		b = binary.BigEndian.AppendUint16(b, uint16(h.Length))
	default:
		b = append(b, b0, mask|127)
		b = binary.BigEndian.AppendUint64(b, h.Length)
	}
	if h.Masked {
		b = append(b, h.Key[:]...)
	}
	return b
}
