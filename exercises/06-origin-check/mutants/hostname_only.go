//go:build mutant && mutant_hostname_only

// Mistake: the host names are compared without their ports.

package origin

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
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
	return err == nil && u.Host != "" && strings.EqualFold(u.Hostname(), strings.Split(r.Host, ":")[0])
}
