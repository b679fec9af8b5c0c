//go:build mutant && mutant_repeats_accepted

// Mistake: a parameter given twice is accepted.

package deflate

import (
	"net/http"
	"strconv"
	"strings"
)

// Negotiate reads a handshake's Sec-WebSocket-Extensions offers (RFC 7692
// §5) and returns the value of the response's Sec-WebSocket-Extensions
// header that accepts the first permessage-deflate offer it supports, with
// the parameters it agrees to; ok is false if it accepts none.
func Negotiate(h http.Header) (response string, ok bool) {
	for _, line := range h.Values("Sec-WebSocket-Extensions") {
		for offer := range strings.SplitSeq(line, ",") {
			name, params, _ := strings.Cut(offer, ";")
			if strings.TrimSpace(name) != "permessage-deflate" {
				continue // another extension: not ours to answer
			}
			if answer, ok := accept(params); ok {
				return answer, true
			}
			// §5.1: decline this offer by ignoring it, and look at the next.
		}
	}
	return "", false
}

// accept checks one offer's parameters (§7.1) and returns the answer to it.
func accept(params string) (string, bool) {
	answer := []string{"permessage-deflate"}
	seen := map[string]bool{}
	if params == "" {
		return answer[0], true // a bare offer
	}
	var serverBits, clientBits string
	for p := range strings.SplitSeq(params, ";") {
		name, value, hasValue := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		value = strings.Trim(strings.TrimSpace(value), `"`)
		seen[name] = true
		switch name {
		case "server_no_context_takeover", "client_no_context_takeover":
			if hasValue {
				return "", false // §7.1.1: these have no value
			}
		case "server_max_window_bits":
			if !hasValue || !windowBits(value) {
				return "", false // §7.1.2.1: a value from 8 to 15 is required
			}
			serverBits = value
		case "client_max_window_bits":
			if hasValue && !windowBits(value) {
				return "", false // §7.1.2.2: no value, or 8 to 15
			}
			clientBits = value
		default:
			return "", false // §7.1: an unknown parameter declines the offer
		}
	}
	for _, name := range []string{"server_no_context_takeover", "client_no_context_takeover"} {
		if seen[name] {
			answer = append(answer, name)
		}
	}
	if serverBits != "" {
		answer = append(answer, "server_max_window_bits="+serverBits)
	}
	if clientBits != "" {
		answer = append(answer, "client_max_window_bits="+clientBits)
	}
	return strings.Join(answer, "; "), true
}

// windowBits reports whether v is a window size of §7.1.2: a decimal
// integer from 8 to 15, without leading zeros.
func windowBits(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 8 && n <= 15 && strconv.Itoa(n) == v
}
