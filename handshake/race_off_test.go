//go:build !race

package handshake

// raceEnabled: the race detector is off.
const raceEnabled = false
