package policy

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/websocket-in-go/workbook/handshake"
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

// Allow reports whether the handshake request r passes the policy: an
// origin on the list, or what handshake.SameOrigin admits (no Origin, or the
// request's own host:port). The same-origin rule has one home, in the
// protocol package, so the by-hand Upgrade's default and every server's
// policy cannot drift apart.
func (o *Origins) Allow(r *http.Request) bool {
	if origin := r.Header.Get("Origin"); origin != "" {
		for _, a := range o.allowed {
			if strings.EqualFold(a, origin) {
				return true
			}
		}
	}
	return handshake.SameOrigin(r)
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
// It is called by the flag package for every -allow-origin, and refuses a
// value that no browser's Origin header could ever equal (see originValue),
// so that a typo stops the server at start instead of refusing the page.
func (o *Origins) Set(value string) error {
	var add []string
	for _, v := range strings.Split(value, ",") {
		if v = strings.TrimSpace(v); v != "" {
			origin, err := originValue(v)
			if err != nil {
				return err
			}
			add = append(add, origin)
		}
	}
	o.allowed = append(o.allowed, add...)
	return nil
}

// ANCHOR: origin_value

// originValue checks one -allow-origin value. A browser's Origin is
// scheme://host[:port] and nothing else (RFC 6454 §6.1), so a value without
// a scheme, with a path, query or user, or a wildcard can never match. A
// trailing slash is forgiven. "null" is refused too: it is the Origin of
// sandboxed frames and file:// pages, which any site can produce.
func originValue(v string) (string, error) {
	switch {
	case strings.Contains(v, "*"):
		return "", fmt.Errorf("%q: wildcards are not supported; list each origin, e.g. "+
			"http://localhost:3000", v)
	case strings.EqualFold(v, "null"):
		return "", fmt.Errorf(`"null" is the origin of sandboxed and file:// pages, ` +
			`which any site can create; it cannot be admitted`)
	case !strings.Contains(v, "://"):
		return "", fmt.Errorf("add a scheme: http://%s", v)
	}
	v = strings.TrimSuffix(v, "/")
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return "", fmt.Errorf("%q is not an origin: %v", v, err)
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("%q has no host: an origin looks like "+
			"http://localhost:3000", v)
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil ||
		strings.HasSuffix(v, "?") || strings.HasSuffix(v, "#"):
		return "", fmt.Errorf("%q is more than an origin: an origin is "+
			"scheme://host[:port], here %s://%s", v, u.Scheme, u.Host)
	}
	return v, nil
}

// ANCHOR_END: origin_value

// Forbid answers a refused handshake: 403 with a body that says why.
func Forbid(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "403 forbidden: cross-origin WebSocket request from "+r.Header.Get("Origin")+
		" (start the server with -allow-origin to admit it)", http.StatusForbidden)
}
