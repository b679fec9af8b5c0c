package serve

import (
	"net/http"
	"net/url"
	"strings"
)

// Origins is the origin policy of the workbook's servers (RFC 6455 §4.2.2
// and §10.2). A browser always sends an Origin header on a WebSocket
// handshake; other clients (curl, Go, Python) usually send none.
//
//   - No Origin header: accepted. The request does not come from a web page,
//     so there is no cross-site page to protect against.
//   - Origin whose host:port equals the request's Host: accepted
//     (same-origin: the page was served by this server).
//   - Origin listed with -allow-origin: accepted.
//   - Anything else, including "null": refused with 403 Forbidden.
//
// The zero value allows same-origin and Origin-less requests only. Origins
// is also a flag.Value, so -allow-origin can be repeated or take a
// comma-separated list.
type Origins struct {
	allowed []string
}

// ANCHOR: allow

// Allow reports whether the handshake request r passes the policy.
func (o *Origins) Allow(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	for _, a := range o.allowed {
		if strings.EqualFold(a, origin) {
			return true
		}
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// ANCHOR_END: allow

// String returns the extra allowed origins, comma-separated.
func (o *Origins) String() string {
	if o == nil {
		return ""
	}
	return strings.Join(o.allowed, ",")
}

// Set adds one origin, or several separated by commas, to the allowed list.
// It is called by the flag package for every -allow-origin.
func (o *Origins) Set(value string) error {
	for _, v := range strings.Split(value, ",") {
		if v = strings.TrimSpace(v); v != "" {
			o.allowed = append(o.allowed, strings.TrimSuffix(v, "/"))
		}
	}
	return nil
}

// Forbid answers a refused handshake: 403 with a body that says why.
func Forbid(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "403 forbidden: cross-origin WebSocket request from "+r.Header.Get("Origin")+
		" (start the server with -allow-origin to admit it)", http.StatusForbidden)
}
