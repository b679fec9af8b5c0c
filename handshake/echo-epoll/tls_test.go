//go:build linux

package main

import (
	"crypto/tls"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/webtest"
	"golang.org/x/sys/unix"
)

// tlsWait bounds every dial, read and write of the TLS tests.
const tlsWait = 5 * time.Second

// TestTLSFrontHostile: the TLS front's two goroutines per connection are
// held to the loop's waits. A client that opens TCP and never finishes
// the TLS handshake is closed after -handshake-wait; one that floods and
// never reads is closed after -write-wait (and -close-grace, if the loop
// hung up first); a client beside them is echoed
// all along. (TestEveryServerSpeaksWSS in web/serve checks the happy
// path: echo, an untrusted client refused, ws:// answered 400, the 1001
// goodbye over TLS.)
func TestTLSFrontHostile(t *testing.T) {
	p := webtest.StartProcess(t, bin, "-tls-self-signed",
		"-handshake-wait", "300ms", "-write-wait", "300ms", "-close-grace", "300ms")
	host := strings.TrimPrefix(p.URL, "https://")
	cfg := &tls.Config{InsecureSkipVerify: true} // the certificate is not the subject here

	t.Run("never finishes the TLS handshake", func(t *testing.T) {
		c, err := net.DialTimeout("tcp", host, tlsWait)
		require.NoError(t, err)
		defer c.Close()
		require.NoError(t, c.SetReadDeadline(time.Now().Add(tlsWait)))
		_, err = c.Read(make([]byte, 1))
		require.ErrorIs(t, err, io.EOF, "the front hangs up on a handshake that never comes")
	})

	t.Run("floods and never reads", func(t *testing.T) {
		// A small receive buffer, so the echoes it does not read fill it
		// soon: loopback's buffers otherwise grow to tens of megabytes,
		// which a server under -race takes seconds to fill.
		small := &net.Dialer{Timeout: tlsWait, Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) {
				_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 16<<10)
			})
		}}
		raw, err := tls.DialWithDialer(small, "tcp", host, cfg)
		require.NoError(t, err)
		defer raw.Close()
		upgrade(t, raw, host, "/echo")
		require.NoError(t, raw.SetWriteDeadline(time.Now().Add(2*tlsWait)))
		msg := frame(true, handshake.OpBinary, make([]byte, 60<<10))
		for err == nil { // until the server stops taking them
			_, err = raw.Write(msg)
		}
		var ne net.Error
		if assert.ErrorAs(t, err, &ne) {
			assert.False(t, ne.Timeout(), "the server kept the flooder open: %v", err)
		}
	})

	d, err := tls.DialWithDialer(&net.Dialer{Timeout: tlsWait}, "tcp", host, cfg)
	require.NoError(t, err)
	defer d.Close()
	upgrade(t, d, host, "/echo").echo(t, []byte("others are served"))
}
