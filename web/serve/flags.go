package serve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/websocket-in-go/workbook/web/policy"
)

// DefaultAddr is where the servers listen unless told otherwise: port 1234,
// as in the chapter this workbook modernises, on the loopback interface
// only. A server on a laptop has no business answering the café's Wi-Fi:
// -addr :1234 listens on every interface, and must be asked for.
const DefaultAddr = "localhost:1234"

// Config is what every workbook server is told on its command line.
type Config struct {
	// Addr is the TCP address to listen on (-addr).
	Addr string
	// Origins is the origin policy, with extra origins from -allow-origin.
	Origins policy.Origins
	// Hosts is the Host policy, with extra host names from -allow-host.
	// Pass it to the Server (and TLS too):
	// &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS}.
	Hosts Hosts
	// TLS is the certificate, from -tls-cert and -tls-key or
	// -tls-self-signed; Parse loads it. Pass it to the Server too:
	// &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS}.
	TLS TLS
}

// FlagSet returns a flag set named name that fills c from -addr,
// -allow-origin, -allow-host, -tls-cert, -tls-key and -tls-self-signed. A
// server may add flags of its own before parsing. Errors are written to
// stderr and returned by Parse, never os.Exit: parse with the package's
// Parse, so that Main exits 2 on them.
func (c *Config) FlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", DefaultAddr, "TCP address to listen on (\":1234\" listens on every interface:\n"+
		"then admit the names others use with -allow-host)")
	fs.Var(&c.Origins, "allow-origin", "an extra origin to admit, e.g. http://localhost:3000\n"+
		"(repeatable, or comma-separated)")
	fs.Var(&c.Hosts, "allow-host", "an extra host name or address to answer to, besides localhost and\n"+
		"the -addr host, e.g. mybox.lan (repeatable, or comma-separated)")
	c.TLS.addFlags(fs)
	return fs
}

// UsageError is a mistake on the command line: an unknown flag, a value a
// flag refuses, an argument where none is taken. It has been reported
// already, with the usage, on the flag set's output; Main exits 2 on it,
// as the flag package does with flag.ExitOnError.
type UsageError struct {
	// Err is what was wrong.
	Err error
}

// Error returns what was wrong.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *UsageError) Unwrap() error { return e.Err }

// ANCHOR: parse

// Parse parses args with fs, as every workbook server's run func does. It
// returns flag.ErrHelp for -h, a *UsageError for anything else that is
// wrong (including an argument that is not a flag: the servers take none,
// and TLS flags that do not go together or name a file that cannot be
// loaded), and nil otherwise.
func Parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return err
	case err != nil:
		return &UsageError{Err: err}
	case fs.NArg() > 0:
		err := fmt.Errorf("unexpected argument %q: %s takes flags only", fs.Arg(0), fs.Name())
		fmt.Fprintln(fs.Output(), err)
		fs.Usage()
		return &UsageError{Err: err}
	}
	if f := fs.Lookup("tls-cert"); f != nil {
		if cf, ok := f.Value.(certFlag); ok {
			if err := cf.t.Load(); err != nil {
				fmt.Fprintf(fs.Output(), "%s: %v\n", fs.Name(), err)
				return &UsageError{Err: err}
			}
		}
	}
	return nil
}

// ANCHOR_END: parse

// Main runs a workbook server program: run gets a context that ends on
// SIGINT or SIGTERM (graceful shutdown), the command-line arguments and
// standard output. The exit status is 0 after a clean shutdown or -h, 2
// after a *UsageError (already reported), and 1 after any other error,
// which is printed as "name: error".
func Main(name string, run func(ctx context.Context, args []string, stdout io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(exitCode(name, run(ctx, os.Args[1:], os.Stdout), os.Stderr))
}

// exitCode is Main's exit status for run's error, which it reports on
// stderr if the flag package has not already.
func exitCode(name string, err error, stderr io.Writer) int {
	var usage *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		return 2
	default:
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
}
