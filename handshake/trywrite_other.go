//go:build !unix

package handshake

// rawWriter is unix's; elsewhere every frame with a deadline arms it.
type rawWriter struct{}

// tryWrite writes nothing outside unix: send then arms the deadline and
// writes the whole frame, as a net.Conn write would.
func (c *Conn) tryWrite(frame []byte) (int, bool) { return 0, false }
