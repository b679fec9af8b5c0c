package main

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ANCHOR: tls

// The readiness loop cannot speak TLS itself: crypto/tls wants a
// net.Conn it can block on, and the loop owns raw non-blocking
// descriptors. So with -tls-* the process puts a TLS front before its own
// loop: the front listens on -addr, ends TLS, and relays the plaintext to
// the loop on a loopback port of its own, two goroutines per connection.
// That is what a TLS-terminating proxy (the nginx configuration of "Into
// production") does for a whole fleet; here it costs each wss://
// connection two goroutines and crypto/tls's buffers, which is why the
// 100,000-connection measurement runs ws://.

// tlsFront ends TLS for the loop listening on backend.
type tlsFront struct {
	ln      net.Listener
	backend string
	cfg     config
	log     *log.Logger
	relays  sync.WaitGroup
}

// listenTLS listens on addr for TLS (sharing the port with other
// processes, as the loop does) and relays every connection to backend.
func listenTLS(addr, backend string, tc *tls.Config, cfg config,
	logger *log.Logger) (*tlsFront, error) {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) {
			err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
		}); cerr != nil {
			return cerr
		}
		return err
	}}
	ln, err := lc.Listen(context.Background(), "tcp4", addr)
	if err != nil {
		return nil, err
	}
	f := &tlsFront{ln: tls.NewListener(ln, tc), backend: backend, cfg: cfg, log: logger}
	return f, nil
}

// serve accepts until the listener is closed.
func (f *tlsFront) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				f.log.Printf("tls: accept: %v", err)
			}
			return
		}
		f.relays.Add(1)
		go func() { defer f.relays.Done(); f.relay(c.(*tls.Conn)) }()
	}
}

// relay ends TLS on front within the handshake wait, then copies bytes
// both ways between it and a plain connection to the loop. Every write
// has the loop's write wait: a peer that stops reading cannot hold the
// relay's goroutines for ever. A side that fails (a write deadline, a
// reset) ends both at once; a side that ends cleanly is passed on to the
// other as a half-close, so the closing handshake reads as without TLS.
func (f *tlsFront) relay(front *tls.Conn) {
	defer front.Close()
	_ = front.SetDeadline(time.Now().Add(f.cfg.handshakeWait))
	if err := front.Handshake(); err != nil {
		f.log.Printf("tls: %s: handshake: %v", front.RemoteAddr(), err)
		var plain tls.RecordHeaderError
		if errors.As(err, &plain) && plain.Conn != nil {
			// ws:// or http:// to the TLS port: answer as net/http does.
			_, _ = io.WriteString(plain.Conn, "HTTP/1.0 400 Bad Request\r\n\r\n"+
				"Client sent an HTTP request to an HTTPS server.\n")
		}
		return
	}
	_ = front.SetDeadline(time.Time{})
	back, err := net.DialTimeout("tcp4", f.backend, f.cfg.handshakeWait)
	if err != nil {
		f.log.Printf("tls: %s: %v", front.RemoteAddr(), err)
		return
	}
	defer back.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := io.Copy(deadlineWriter{back, f.cfg.writeWait}, front); err != nil {
			front.Close() // a broken side: nothing more is owed to either
			back.Close()
			return
		}
		_ = back.(*net.TCPConn).CloseWrite() // the peer's end, passed on
	}()
	if _, err := io.Copy(deadlineWriter{front, f.cfg.writeWait}, back); err != nil {
		back.Close()
		front.Close()
	} else { // the loop's end: the peer has the close grace to finish
		_ = front.CloseWrite()
		_ = front.SetReadDeadline(time.Now().Add(f.cfg.closeGrace))
	}
	<-done
}

// ANCHOR_END: tls

// deadlineWriter gives every write to conn its own deadline.
type deadlineWriter struct {
	conn net.Conn
	wait time.Duration
}

func (w deadlineWriter) Write(p []byte) (int, error) {
	_ = w.conn.SetWriteDeadline(time.Now().Add(w.wait))
	return w.conn.Write(p)
}

// stop closes the listener; connections end as the loop closes them.
func (f *tlsFront) stop() { _ = f.ln.Close() }

// drain waits, at most wait, for the relays to pass on what the loop
// sent last (its close 1001 at shutdown) before the process exits.
func (f *tlsFront) drain(wait time.Duration) {
	done := make(chan struct{})
	go func() { f.relays.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
	}
}
