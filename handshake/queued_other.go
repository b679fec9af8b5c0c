//go:build !linux

package handshake

// queuedQuery is Linux's SIOCINQ question (queued_linux.go); elsewhere the
// Conn does not ask, and a big message's buffer grows by doubling alone.
type queuedQuery struct{}

func newQueuedQuery(any) *queuedQuery { return nil }

func (*queuedQuery) queued() int { return 0 }
