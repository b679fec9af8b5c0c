//go:build mutant && mutant_version_400

// Mistake: a wrong version is refused with 400 instead of 426 Upgrade Required.

package validate

import (
	"encoding/base64"
	"net/http"
	"strings"
)

// Check applies RFC 6455 §4.2.1 to a handshake request. It returns
// http.StatusSwitchingProtocols (101) for a good request, or the status to
// refuse it with, and a reason.
func Check(r *http.Request) (status int, reason string) {
	switch {
	case r.Method != http.MethodGet:
		return http.StatusMethodNotAllowed, "not GET"
	case !hasToken(r.Header.Get("Upgrade"), "websocket"):
		return http.StatusBadRequest, "no Upgrade: websocket"
	case !hasToken(r.Header.Get("Connection"), "upgrade"):
		return http.StatusBadRequest, "no Connection: Upgrade"
	}
	key, err := base64.StdEncoding.DecodeString(r.Header.Get("Sec-WebSocket-Key"))
	if err != nil || len(key) != 16 {
		return http.StatusBadRequest, "bad Sec-WebSocket-Key"
	}
	if r.Header.Get("Sec-WebSocket-Version") != "13" {
		return http.StatusBadRequest, "version 13 only"
	}
	return http.StatusSwitchingProtocols, ""
}

func hasToken(header, token string) bool {
	for _, t := range strings.Split(header, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}
