//go:build mutant && mutant_len65535_64bit

// Mistake: a length of exactly 65535 takes the 64-bit form (< 0xFFFF where ≤ 0xFFFF belongs).

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
	case h.Length < 0xFFFF:
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

// Parse decodes the frame header at the start of b (RFC 6455 §5.2) and
// returns it with its size in bytes; the payload, if b holds any, is left
// alone. If b holds only the start of a header, err is ErrShort and n is
// the number of bytes to have before calling again: 2 until the second
// byte is there, then the whole header's size. A length in a longer form
// than it needs is ErrNonMinimal; a 64-bit length with its top bit set is
// ErrTooLong.
func Parse(b []byte) (h Header, n int, err error) {
	if len(b) < 2 {
		return Header{}, 2, ErrShort
	}
	h.Fin = b[0]&0x80 != 0
	h.Opcode = b[0] & 0x0F
	h.Masked = b[1]&0x80 != 0
	n = 2
	switch b[1] & 0x7F {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if h.Masked {
		n += 4
	}
	if len(b) < n {
		return Header{}, n, ErrShort
	}
	ext := b[2:n]
	switch l := b[1] & 0x7F; l {
	case 126:
		h.Length = uint64(binary.BigEndian.Uint16(ext))
		if h.Length <= 125 {
			return Header{}, n, ErrNonMinimal
		}
		ext = ext[2:]
	case 127:
		h.Length = binary.BigEndian.Uint64(ext)
		if h.Length>>63 != 0 {
			return Header{}, n, ErrTooLong
		}
		if h.Length <= 0xFFFF {
			return Header{}, n, ErrNonMinimal
		}
		ext = ext[8:]
	default:
		h.Length = uint64(l)
	}
	if h.Masked {
		copy(h.Key[:], ext)
	}
	return h, n, nil
}
