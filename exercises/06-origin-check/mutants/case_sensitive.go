//go:build mutant && mutant_case_sensitive

// Mistake: the hosts are compared case-sensitively.

package origin

import (
	"net/http"
	"net/url"
	"slices"
)

// Allow reports whether a handshake request may connect: it sends no
// Origin, or its Origin's host:port is the request's Host, or its Origin is
// in extra.
func Allow(r *http.Request, extra []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || slices.Contains(extra, origin) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && u.Host == r.Host
}
