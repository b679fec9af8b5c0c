package serve

import (
	"flag"
	"io"
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
