package mask

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var key = [4]byte{0x37, 0xfa, 0x21, 0x3d} // RFC 6455 §5.7

func TestMaskRFCExample(t *testing.T) {
	b := []byte("Hello")
	assert.Equal(t, 5, Mask(key, 0, b), "Mask returns where the next piece starts: 0 + 5 bytes")
	assert.Equal(t, []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58}, b,
		"RFC 6455 §5.7: \"Hello\" masked with key 37 fa 21 3d; §5.3: byte i is XORed with key byte i mod 4")
	Mask(key, 0, b)
	assert.Equal(t, []byte("Hello"), b, "RFC 6455 §5.3: the same operation unmasks: masking twice gives the payload back")
}

func TestMaskInPieces(t *testing.T) {
	whole := []byte("a payload that arrives in pieces")
	pieces := append([]byte(nil), whole...)
	Mask(key, 0, whole)
	pos := Mask(key, 0, pieces[:3])
	assert.Equal(t, 3, pos, "after a piece of 3 bytes from position 0, the next starts at 3")
	pos = Mask(key, pos, pieces[3:10])
	assert.Equal(t, 10, pos, "after a piece of 7 bytes from position 3, the next starts at 10")
	Mask(key, pos, pieces[10:])
	assert.Equal(t, whole, pieces,
		"RFC 6455 §5.3: byte i of the payload (not of the piece) takes key byte i mod 4, so pieces masked from pos must match the whole")
}
