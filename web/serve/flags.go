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
)

// DefaultAddr is where the servers listen unless told otherwise: port 1234,
// as in the chapter this workbook modernises.
const DefaultAddr = ":1234"

// Config is what every workbook server is told on its command line.
type Config struct {
	// Addr is the TCP address to listen on (-addr).
	Addr string
	// Origins is the origin policy, with extra origins from -allow-origin.
	Origins Origins
}

// FlagSet returns a flag set named name that fills c from -addr and
// -allow-origin. A server may add flags of its own before parsing.
// Errors are written to stderr and returned by Parse, never os.Exit.
func (c *Config) FlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", DefaultAddr, "TCP address to listen on")
	fs.Var(&c.Origins, "allow-origin", "an extra origin to admit, e.g. http://localhost:3000 (repeatable, or comma-separated)")
	return fs
}

// Main runs a workbook server program: run gets a context that ends on
// SIGINT or SIGTERM (graceful shutdown), the command-line arguments and
// standard output. An error is printed as "name: error" and exits 1; -h
// exits 0 after the flag package has printed the usage.
func Main(name string, run func(ctx context.Context, args []string, stdout io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}
