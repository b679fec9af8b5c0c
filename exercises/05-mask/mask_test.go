package mask

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var key = [4]byte{0x37, 0xfa, 0x21, 0x3d} // RFC 6455 §5.7

func TestMaskRFCExample(t *testing.T) {
	b := []byte("Hello")
	assert.Equal(t, 5, Mask(key, 0, b))
	assert.Equal(t, []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58}, b)
	Mask(key, 0, b)
	assert.Equal(t, []byte("Hello"), b, "masking twice gives the payload back")
}

func TestMaskInPieces(t *testing.T) {
	whole := []byte("a payload that arrives in pieces")
	pieces := append([]byte(nil), whole...)
	Mask(key, 0, whole)
	pos := Mask(key, 0, pieces[:3])
	pos = Mask(key, pos, pieces[3:10])
	assert.Equal(t, 10, pos)
	Mask(key, pos, pieces[10:])
	assert.Equal(t, whole, pieces)
}
