package handshake

import "crypto/rand"

// newMaskKey fills key with 4 unpredictable bytes (§5.3: "derived from a
// strong source of entropy"), so a script cannot choose the bytes on the wire.
func newMaskKey(key *[4]byte) {
	_, _ = rand.Read(key[:]) // crypto/rand.Read never fails on Linux, per its docs
}
