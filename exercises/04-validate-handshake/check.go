//go:build !solution && !mutant

package validate

import "net/http"

// Check applies RFC 6455 §4.2.1 to a handshake request. It returns
// http.StatusSwitchingProtocols (101) for a good request, or the status to
// refuse it with, and a reason.
func Check(r *http.Request) (status int, reason string) {
	return 0, "not implemented"
}
