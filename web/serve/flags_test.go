package serve

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		usage bool // want a *UsageError
		help  bool // want flag.ErrHelp
	}{
		{"no flags", nil, false, false},
		{"every flag", []string{"-addr", ":0", "-allow-origin", "http://a.example", "-allow-host", "mybox.lan"}, false, false},
		{"-h", []string{"-h"}, false, true},
		{"an unknown flag", []string{"-no-such-flag"}, true, false},
		{"an -allow-origin without a scheme", []string{"-allow-origin", "localhost:3000"}, true, false},
		{"an -allow-host with a port", []string{"-allow-host", "mybox.lan:1234"}, true, false},
		{"an argument that is not a flag", []string{"extra"}, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c Config
			var stderr strings.Builder
			err := Parse(c.FlagSet("test", &stderr), tc.args)
			var usage *UsageError
			assert.Equal(t, tc.usage, errors.As(err, &usage), "usage error: %v", err)
			assert.Equal(t, tc.help, errors.Is(err, flag.ErrHelp), "ErrHelp: %v", err)
			if tc.usage {
				assert.Contains(t, stderr.String(), "Usage of test", "a usage error is reported with the usage")
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		code   int
		stderr string
	}{
		{"clean shutdown", nil, 0, ""},
		{"-h", flag.ErrHelp, 0, ""},
		{"usage error, already reported", &UsageError{Err: errors.New("bad flag")}, 2, ""},
		{"any other error", errors.New("listen tcp: address in use"), 1, "name: listen tcp: address in use\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			assert.Equal(t, tc.code, exitCode("name", tc.err, &stderr))
			assert.Equal(t, tc.stderr, stderr.String())
		})
	}
}

// mainEnv, when set in the environment, makes this test binary run Main as
// a workbook server would (see TestMain), so that TestMainExitStatus can
// check real exit statuses.
const mainEnv = "SERVE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		Main("fake", func(ctx context.Context, args []string, stdout io.Writer) error {
			var cfg Config
			if err := Parse(cfg.FlagSet("fake", os.Stderr), args); err != nil {
				return err
			}
			srv := &Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS}
			return srv.Run(ctx, stdout)
		})
	}
	os.Exit(m.Run())
}

// TestMainExitStatus runs Main in a real process: a mistake on the command
// line exits 2, as the flag package's own usage errors do; a failure to
// serve exits 1; -h exits 0.
func TestMainExitStatus(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"-h", []string{"-h"}, 0, "-allow-host"},
		{"an unknown flag", []string{"-no-such-flag"}, 2, "flag provided but not defined"},
		{"an -allow-origin without a scheme", []string{"-allow-origin", "localhost:3000"}, 2, "http://localhost:3000"},
		{"an -allow-origin wildcard", []string{"-allow-origin", "*"}, 2, "wildcards"},
		{"an -allow-origin with a path", []string{"-allow-origin", "http://localhost:3000/app"}, 2, "more than an origin"},
		{"an -allow-host URL", []string{"-allow-host", "http://mybox.lan"}, 2, "-allow-host mybox.lan"},
		{"an argument", []string{"extra"}, 2, "takes flags only"},
		{"an address it cannot listen on", []string{"-addr", "127.0.0.1:-1"}, 1, "fake: listen tcp"},
		{"-tls-cert without -tls-key", []string{"-tls-cert", "cert.pem"}, 2, "fake: -tls-cert needs -tls-key"},
		{"-tls-key without -tls-cert", []string{"-tls-key", "key.pem"}, 2, "fake: -tls-key needs -tls-cert"},
		{"-tls-self-signed and files", []string{"-tls-self-signed", "-tls-cert", "cert.pem", "-tls-key", "key.pem"}, 2, "not both"},
		{"unreadable TLS files", []string{"-tls-cert", "/no/such/cert.pem", "-tls-key", "/no/such/key.pem"}, 2, "open /no/such/cert.pem: no such file or directory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tc.args...)
			cmd.Env = append(os.Environ(), mainEnv+"=1")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.code, code, "exit status; stderr:\n%s", stderr.String())
			assert.Contains(t, stderr.String(), tc.stderr)
		})
	}
}

// TestRunPrintsLocalhost: a server asked to listen on localhost says so,
// since that is the name to open in a browser.
func TestRunPrintsLocalhost(t *testing.T) {
	addr := start(t, &Server{Addr: "localhost:0", Handler: noContent})
	assert.True(t, strings.HasPrefix(addr, "localhost:"), addr)
}

// TestDefaultAddrIsLoopback: without -addr, a server listens on loopback
// only; exposing it takes -addr :1234.
func TestDefaultAddrIsLoopback(t *testing.T) {
	var c Config
	require.NoError(t, Parse(c.FlagSet("test", io.Discard), nil))
	assert.Equal(t, "localhost:1234", c.Addr)
	assert.True(t, isLoopback(addrHost(c.Addr)))
}

func TestFlagSet(t *testing.T) {
	var c Config
	fs := c.FlagSet("test", new(discard))
	assert.NoError(t, fs.Parse([]string{"-allow-origin", "http://a.example", "-allow-origin", "http://b.example,http://c.example"}))
	assert.Equal(t, DefaultAddr, c.Addr)
	assert.Equal(t, "http://a.example,http://b.example,http://c.example", c.Origins.String())

	assert.Error(t, c.FlagSet("test", new(discard)).Parse([]string{"-no-such-flag"}))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
