package webtest

import (
	"bufio"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RunFunc is the shape of every server's run function: the whole program
// but for signal handling, so that a test can start it and stop it.
type RunFunc func(ctx context.Context, args []string, stdout io.Writer) error

// startTimeout is how long a server may take to print its "listening on"
// line before the test gives up.
const startTimeout = 10 * time.Second

// Server is a workbook server started by Start.
type Server struct {
	// URL is the base URL the server printed, e.g. http://127.0.0.1:41234
	// (https:// with TLS).
	URL string
	// Before is what the server printed before its "listening on" line,
	// one string a line: with TLS, the certificate's fingerprints.
	Before []string

	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// WS returns the URL of the server's WebSocket endpoint: ws://HOST:PORT/ws
// (wss:// with TLS).
func (s *Server) WS() string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + "/ws"
}

// Stop cancels the server's context, as SIGINT would, and waits for run to
// return. It returns run's error. Calling it again returns the same error.
func (s *Server) Stop() error {
	s.once.Do(func() {
		s.cancel()
		s.err = <-s.done
	})
	return s.err
}

// Start runs run with "-addr 127.0.0.1:0" followed by args, waits for the
// line "listening on http://HOST:PORT" (or https://), and returns the
// running server. When
// the test ends the server is stopped and must have returned nil.
func Start(t testing.TB, run RunFunc, args ...string) *Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &Server{cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw)
		pw.Close()
		s.done <- err
	}()

	type started struct {
		url    string
		before []string
	}
	urls := make(chan started, 1)
	go func() {
		scanner := bufio.NewScanner(pr)
		var before []string
		listening := false
		for scanner.Scan() {
			if u, ok := strings.CutPrefix(scanner.Text(), "listening on "); ok && !listening {
				listening = true
				urls <- started{u, before}
			} else if !listening {
				before = append(before, scanner.Text())
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()

	select {
	case st := <-urls:
		s.URL, s.Before = st.url, st.before
	case err := <-s.done:
		cancel()
		t.Fatalf("server exited before listening: %v", err)
	case <-time.After(startTimeout):
		cancel()
		t.Fatalf("server did not print its \"listening on\" line within %v", startTimeout)
	}
	t.Cleanup(func() { require.NoError(t, s.Stop(), "server returned an error on shutdown") })
	return s
}
