package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/serve"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "echo-epoll:", err)
		var usage usageError
		if errors.As(err, &usage) {
			os.Exit(2) // as every server of the workbook: a bad command line
		}
		os.Exit(1)
	}
}

// usageError is a bad command line: exit status 2.
type usageError struct{ error }

// run parses the flags, listens, and runs the loop until SIGTERM or SIGINT.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("echo-epoll", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:1234", "IPv4 address to listen on; every process given the same port shares it (SO_REUSEPORT)")
	var cfg config
	fs.IntVar(&cfg.maxMessage, "max-message", handshake.DefaultMaxMessageSize, "largest message in bytes; a bigger one is failed with 1009")
	fs.DurationVar(&cfg.handshakeWait, "handshake-wait", 10*time.Second, "time from accept to the end of the request head")
	fs.DurationVar(&cfg.readWait, "read-wait", 10*time.Second, "time for the next bytes of a frame or message already started")
	fs.DurationVar(&cfg.writeWait, "write-wait", 10*time.Second, "time for the peer to take the next bytes of an echo")
	fs.DurationVar(&cfg.closeGrace, "close-grace", handshake.CloseGrace, "time for the peer's close after ours")
	var secure serve.TLS
	fs.StringVar(&secure.CertFile, "tls-cert", "", "serve wss:// with the PEM certificate chain in `file` (needs -tls-key), through a TLS front (see tls_linux.go)")
	fs.StringVar(&secure.KeyFile, "tls-key", "", "the PEM private key of -tls-cert, in `file`")
	fs.BoolVar(&secure.SelfSigned, "tls-self-signed", false, "serve wss:// with a certificate for localhost made at start; prints its fingerprints")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if cfg.maxMessage <= 0 {
		return usageError{fmt.Errorf("-max-message must be positive, not %d", cfg.maxMessage)}
	}
	if err := secure.Load(); err != nil {
		return usageError{err}
	}
	loopAddr := *addr
	if secure.Enabled() {
		loopAddr = "127.0.0.1:0" // the loop's own port, for the front only
	}
	lfd, port, err := listen(loopAddr)
	if err != nil {
		return err
	}
	l, err := newLoop(cfg, lfd, log.New(stderr, "echo-epoll: ", log.LstdFlags))
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	scheme, stop, drain := "http", l.stop, func() {}
	if secure.Enabled() {
		front, err := listenTLS(*addr, fmt.Sprintf("127.0.0.1:%d", port), secure.Config(), cfg, l.log)
		if err != nil {
			return err
		}
		go front.serve()
		secure.Describe(stdout)
		scheme, port = "https", front.ln.Addr().(*net.TCPAddr).Port
		stop = func() { front.stop(); l.stop() }
		drain = func() { front.drain(cfg.writeWait + cfg.closeGrace) }
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-signals; stop() }()
	fmt.Fprintf(stdout, "listening on %s://%s:%d\n", scheme, host, port)
	err = l.run()
	drain()
	return err
}
