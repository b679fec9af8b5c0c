//go:build race

package handshake

// raceEnabled: the race detector is on, and sync.Pool drops items at
// random on purpose, so allocation counts mean nothing.
const raceEnabled = true
