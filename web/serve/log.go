package serve

import (
	"log/slog"
	"net/http"
)

// ANCHOR: log

// LogRefused writes one log line for a refused handshake or request: the
// HTTP status, why, and who asked. The reason and the path may contain what
// the client sent; slog quotes (strconv.Quote) every value that holds a
// space, a quote, an = or a control character, so a client cannot forge a
// second log line with a CR LF of its own. A 403 names the page's Origin
// too: the terminal of a CSWSH demo shows which site was refused.
func LogRefused(r *http.Request, status int, reason string) {
	attrs := []any{
		"status", status,
		"reason", reason,
		"remote", r.RemoteAddr,
		"path", r.URL.Path,
	}
	if origin := r.Header.Get("Origin"); origin != "" && status == http.StatusForbidden {
		attrs = append(attrs, "origin", origin)
	}
	slog.Warn("refused", attrs...)
}

// LogFailed writes one log line for a WebSocket connection that ended
// because of a failure (ours or the peer's): the close code we sent or
// would have sent, why, and the peer's address, quoted like LogRefused's.
func LogFailed(remote string, code int, reason string) {
	slog.Warn("connection failed",
		"code", code,
		"reason", reason,
		"remote", remote)
}

// ANCHOR_END: log
