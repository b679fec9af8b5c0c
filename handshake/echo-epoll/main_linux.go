package main

import (
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
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "echo-epoll:", err)
		os.Exit(1)
	}
}

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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.maxMessage <= 0 {
		return fmt.Errorf("-max-message must be positive, not %d", cfg.maxMessage)
	}
	lfd, port, err := listen(*addr)
	if err != nil {
		return err
	}
	l, err := newLoop(cfg, lfd, log.New(stderr, "echo-epoll: ", log.LstdFlags))
	if err != nil {
		return err
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-signals; l.stop() }()
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on http://%s:%d\n", host, port)
	return l.run()
}
