// Package contract is what the peer echo servers share with the workbook's
// own three (chapter "Which library should I pick?"): the -addr flag, the
// "listening on http://HOST:PORT" line the measurement command waits for,
// the largest message (1 MiB, the by-hand server's default), exit status 0
// on SIGTERM, and the echo contract itself:
//
//   - GET /ws: a text message M comes back as the text "Received: M"; a
//     binary message comes back as the same bytes, still binary.
//   - GET /echo: every message comes back unchanged.
package contract

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
)

// MaxMessage is the largest message a peer server takes, in bytes: the
// by-hand server's default (handshake.DefaultMaxMessageSize). A bigger one
// is refused with close code 1009 where the library lets the server say so.
const MaxMessage = 1 << 20

// Prefix is what /ws puts before the echo of a text message.
const Prefix = "Received: "

// Paths are the two echo endpoints.
const (
	PathContract = "/ws"
	PathExact    = "/echo"
)

// Flags returns the flag set every peer server takes: -addr, default
// localhost:1234 as every workbook server. A server may add flags of its
// own, then parses os.Args[1:]; a bad flag exits 2.
func Flags(name string) (fs *flag.FlagSet, addr *string) {
	fs = flag.NewFlagSet(name, flag.ExitOnError)
	return fs, fs.String("addr", "localhost:1234", "TCP address to listen on")
}

// Addr parses the command line with Flags and returns the address to
// listen on.
func Addr(name string) string {
	fs, addr := Flags(name)
	_ = fs.Parse(os.Args[1:]) // ExitOnError
	return *addr
}

// Listen listens on addr and prints the line that tells a parent process
// (handshake/perf, the conformance runner) where to connect.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	return ln, nil
}

// Reply is the answer to a message of payload on path: the payload itself,
// except for a text message on /ws, which gets Prefix in front.
func Reply(path string, text bool, payload []byte) []byte {
	if path == PathContract && text {
		return append([]byte(Prefix), payload...)
	}
	return payload
}

// Stopped returns a channel that is closed on SIGTERM or an interrupt.
func Stopped() <-chan struct{} {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	done := make(chan struct{})
	go func() {
		<-sig
		close(done)
	}()
	return done
}

// Fatal prints err and exits 1.
func Fatal(name string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
