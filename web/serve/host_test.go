package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckHost(t *testing.T) {
	cases := []struct {
		name  string
		addr  string   // -addr
		allow []string // -allow-host values
		host  string   // the request's Host header
		want  bool
	}{
		{"localhost", DefaultAddr, nil, "localhost:1234", true},
		{"localhost in capitals", DefaultAddr, nil, "LocalHost:1234", true},
		{"localhost with a trailing dot", DefaultAddr, nil, "localhost.:1234", true},
		{"localhost on another port", DefaultAddr, nil, "localhost:5678", true},
		{"a name under .localhost", DefaultAddr, nil, "app.localhost:1234", true},
		{"127.0.0.1", DefaultAddr, nil, "127.0.0.1:1234", true},
		{"anywhere in 127.0.0.0/8", DefaultAddr, nil, "127.8.9.10:1234", true},
		{"[::1]", DefaultAddr, nil, "[::1]:1234", true},
		{"[::1] without a port", DefaultAddr, nil, "[::1]", true},
		{"DNS rebinding: a stranger's name", DefaultAddr, nil, "evil.test:1234", false},
		{"a look-alike of localhost", DefaultAddr, nil, "localhost.evil.test:1234", false},
		{"localhost as a prefix", DefaultAddr, nil, "localhostevil.test:1234", false},
		{"a LAN address", DefaultAddr, nil, "192.168.1.5:1234", false},
		{"no Host at all", DefaultAddr, nil, "", false},
		{"-allow-host admits its name", DefaultAddr, []string{"mybox.lan"}, "mybox.lan:1234", true},
		{"-allow-host ignores case", DefaultAddr, []string{"MyBox.lan"}, "mybox.LAN:1234", true},
		{"-allow-host admits an address", DefaultAddr, []string{"192.168.1.5"}, "192.168.1.5:1234", true},
		{"-allow-host admits an IPv6 address", DefaultAddr, []string{"[fd00::5]"}, "[fd00::5]:1234", true},
		{"-allow-host takes a list", DefaultAddr, []string{"a.lan, b.lan"}, "b.lan:1234", true},
		{"-allow-host admits only what it names", DefaultAddr, []string{"mybox.lan"}, "evil.test:1234", false},
		{"the -addr host is admitted", "mybox.lan:1234", nil, "mybox.lan:1234", true},
		{"the -addr address is admitted", "192.168.1.5:1234", nil, "192.168.1.5:1234", true},
		{"-addr :1234 names no host", ":1234", nil, "192.168.1.5:1234", false},
		{"-addr 0.0.0.0:1234 names no host", "0.0.0.0:1234", nil, "0.0.0.0:1234", false},
		{"-addr :1234 still answers to localhost", ":1234", nil, "localhost:1234", true},
		{"-addr :1234 with -allow-host", ":1234", []string{"192.168.1.5"}, "192.168.1.5:1234", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hosts Hosts
			for _, a := range tc.allow {
				require.NoError(t, hosts.Set(a))
			}
			s := &Server{Addr: tc.addr, Hosts: &hosts}
			r := httptest.NewRequest("GET", "/ws", nil)
			r.Host = tc.host
			w := httptest.NewRecorder()
			assert.Equal(t, tc.want, s.checkHost(w, r))
			if tc.want {
				assert.Equal(t, http.StatusOK, w.Code, "an admitted request must not be answered")
				return
			}
			assert.Equal(t, http.StatusMisdirectedRequest, w.Code)
			if tc.host != "" {
				assert.Contains(t, w.Body.String(), "-allow-host "+Hostname(tc.host), "the body says how to admit the name")
			}
		})
	}
}

func TestNilHostsAdmitsLoopbackOnly(t *testing.T) {
	s := &Server{Addr: "127.0.0.1:0"}
	for host, want := range map[string]bool{"localhost:1": true, "127.0.0.1:1": true, "evil.test:1": false} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		assert.Equal(t, want, s.checkHost(httptest.NewRecorder(), r), host)
	}
}

func TestHostsSet(t *testing.T) {
	cases := []struct {
		value string
		want  string // the list afterwards, or "" for an error
		err   string // part of the error message
	}{
		{"mybox.lan", "mybox.lan", ""},
		{"MyBox.Lan.", "mybox.lan", ""},
		{"192.168.1.5", "192.168.1.5", ""},
		{"::1", "::1", ""},
		{"[fd00::5]", "fd00::5", ""},
		{"a.lan,b.lan", "a.lan,b.lan", ""},
		{"http://mybox.lan:1234", "", "-allow-host mybox.lan"},
		{"mybox.lan:1234", "", "-allow-host mybox.lan"},
		{"*.lan", "", "wildcards"},
		{"mybox.lan/app", "", "paths"},
		{"a.lan,b.lan:80", "", "has a port"},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			var h Hosts
			err := h.Set(tc.value)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.Empty(t, h.String(), "a refused list adds nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, h.String())
		})
	}
}

// TestDNSRebindingIsRefused plays the attack on a real Server: a page on
// evil.test whose name now resolves to 127.0.0.1 opens a WebSocket. Its
// Origin equals its Host, so the origin check would admit it; the Host
// check must answer 421 before the handler runs.
func TestDNSRebindingIsRefused(t *testing.T) {
	reached := make(chan string, 1)
	srv := &Server{Addr: "127.0.0.1:0", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached <- r.Host
	})}
	addr := start(t, srv)
	port := addr[strings.LastIndex(addr, ":"):]

	resp := rawRequest(t, addr, "GET /ws HTTP/1.1\r\nHost: evil.test"+port+"\r\nOrigin: http://evil.test"+port+
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	assert.Equal(t, http.StatusMisdirectedRequest, resp.StatusCode)
	assert.Contains(t, resp.body, "-allow-host evil.test")
	select {
	case host := <-reached:
		t.Fatalf("the handler ran for Host %q", host)
	default:
	}

	resp = rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: localhost"+port+"\r\n\r\n")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "localhost"+port, <-reached)
}
