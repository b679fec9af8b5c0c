package serve

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Hosts is the Host policy of the workbook's servers: which names a request
// may use for the server in its Host header. It stops DNS rebinding: a page
// on evil.test whose name the attacker re-points at 127.0.0.1 reaches a
// server on the reader's own machine, and its Origin (http://evil.test:1234)
// even equals its Host (evil.test:1234), so the origin check alone lets it
// in. The page cannot change the Host header, though: the browser sends the
// name it resolved. A server that answers only to its own names is out of
// the rebinding page's reach.
//
// Admitted, whatever the port:
//
//   - loopback names and addresses: localhost and any name under .localhost
//     (RFC 6761 §6.3: they never leave the machine, so no attacker's DNS can
//     answer for them), 127.0.0.0/8 and [::1];
//   - the host of -addr, if it is a name or an address (not for ":1234" or
//     "0.0.0.0:1234", which name no host);
//   - every name given with -allow-host.
//
// Anything else is refused with 421 Misdirected Request (RFC 9110 §15.5.20:
// the request was sent to a server that will not answer for that name).
// The zero value admits loopback names only. Hosts is a flag.Value, so
// -allow-host can be repeated or take a comma-separated list.
type Hosts struct {
	allowed []string
}

// Allow reports whether the Host of request r is a loopback name or
// address or one listed with -allow-host. A nil *Hosts admits loopback
// only. (serve.Server also admits the host of its Addr.)
func (h *Hosts) Allow(r *http.Request) bool {
	name := Hostname(r.Host)
	if isLoopback(name) {
		return true
	}
	if h == nil {
		return false
	}
	for _, a := range h.allowed {
		if a == name {
			return true
		}
	}
	return false
}

// Hostname returns the name in a Host header value, without its port and
// brackets, lower-cased and without a trailing dot: "LocalHost.:1234"
// becomes "localhost", "[::1]:1234" becomes "::1".
func Hostname(hostport string) string {
	name := hostport
	if net.ParseIP(hostport) == nil { // a bare IPv6 address has no port
		name = (&url.URL{Host: hostport}).Hostname()
	}
	return strings.TrimSuffix(strings.ToLower(name), ".")
}

// isLoopback reports whether name (as Hostname returns it) is localhost, a
// name under .localhost, or a loopback address.
func isLoopback(name string) bool {
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

// addrHost returns the host that the listen address addr names, as
// Hostname would, or "" for an address that names none (":1234",
// "0.0.0.0:1234", "[::]:1234").
func addrHost(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return ""
	}
	return Hostname(host)
}

// String returns the extra admitted host names, comma-separated.
func (h *Hosts) String() string {
	if h == nil {
		return ""
	}
	return strings.Join(h.allowed, ",")
}

// Set adds one host name or address, or several separated by commas, to
// the admitted list. It is called by the flag package for every
// -allow-host, and refuses a value that no Host header could match: a URL,
// a port, a path or a wildcard.
func (h *Hosts) Set(value string) error {
	var names []string
	for _, v := range strings.Split(value, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		name, err := hostValue(v)
		if err != nil {
			return err
		}
		names = append(names, name)
	}
	h.allowed = append(h.allowed, names...)
	return nil
}

// hostValue checks one -allow-host value and returns it as Hostname would.
func hostValue(v string) (string, error) {
	if strings.Contains(v, "://") {
		u, err := url.Parse(v)
		if err == nil && u.Hostname() != "" {
			return "", fmt.Errorf("%q is a URL: -allow-host takes a host name or address, e.g. -allow-host %s", v, u.Hostname())
		}
		return "", fmt.Errorf("%q is a URL: -allow-host takes a host name or address", v)
	}
	if strings.ContainsAny(v, "/*?#@ ") {
		return "", fmt.Errorf("%q is not a host name or address (no paths or wildcards: list each name)", v)
	}
	if host, _, err := net.SplitHostPort(v); err == nil {
		return "", fmt.Errorf("%q has a port: -allow-host takes the name alone (any port is admitted), e.g. -allow-host %s", v, host)
	}
	name := Hostname(v)
	if name == "" {
		return "", fmt.Errorf("%q is not a host name or address", v)
	}
	return name, nil
}

// ANCHOR: host

// checkHost answers a request whose Host this server does not answer to
// with 421 Misdirected Request, logs it, and reports false.
func (s *Server) checkHost(w http.ResponseWriter, r *http.Request) bool {
	if s.Hosts.Allow(r) {
		return true
	}
	name := Hostname(r.Host)
	if self := addrHost(s.Addr); self != "" && name == self {
		return true
	}
	LogRefused(r, http.StatusMisdirectedRequest, "unknown host: "+r.Host)
	msg := "421 misdirected request: the request names no host (send a Host header)"
	if name != "" {
		// Two short lines, for a terminal: what is wrong, and the way out.
		msg = fmt.Sprintf("421 misdirected request: this server does not answer to %q.\n"+
			"Use http://localhost:PORT, or start it with -allow-host %s", r.Host, name)
	}
	http.Error(w, msg, http.StatusMisdirectedRequest)
	return false
}

// ANCHOR_END: host
