package serve

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// acceptSpy hands every connection the server accepts to conns.
type acceptSpy struct {
	net.Listener
	conns chan net.Conn
}

func (l *acceptSpy) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.conns <- c
	}
	return c, err
}

// TestTCPKeepaliveDropsAVanishedPeer measures the claim of the chapter
// "Into production": a server that only reads does not keep a vanished
// peer for ever, nor for hours. The listener Run opens (net.Listen) turns
// TCP keepalive on for every accepted connection with Go's defaults: the
// first probe after 15 s of silence, then one every 15 s, and the
// connection fails after 9 unanswered probes, 15 + 9 × 15 = 150 s.
func TestTCPKeepaliveDropsAVanishedPeer(t *testing.T) {
	spy := make(chan net.Conn, 1)
	s := &Server{
		Addr:    "127.0.0.1:0",
		Handler: http.NotFoundHandler(),
		Listen:  func(ln net.Listener) net.Listener { return &acceptSpy{Listener: ln, conns: spy} },
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, pw); pw.Close() }()
	t.Cleanup(func() { cancel(); <-done })
	line := make([]byte, 64)
	n, err := pr.Read(line) // "listening on http://127.0.0.1:PORT\n"
	require.NoError(t, err)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	addr := string(line[len("listening on http://") : n-1])

	client, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer client.Close()
	var accepted net.Conn
	select {
	case accepted = <-spy:
	case <-time.After(5 * time.Second):
		t.Fatal("the server accepted nothing")
	}
	raw, err := accepted.(*net.TCPConn).SyscallConn()
	require.NoError(t, err)
	opts := map[string]int{}
	require.NoError(t, raw.Control(func(fd uintptr) {
		for name, opt := range map[string][2]int{
			"SO_KEEPALIVE":  {unix.SOL_SOCKET, unix.SO_KEEPALIVE},
			"TCP_KEEPIDLE":  {unix.IPPROTO_TCP, unix.TCP_KEEPIDLE},
			"TCP_KEEPINTVL": {unix.IPPROTO_TCP, unix.TCP_KEEPINTVL},
			"TCP_KEEPCNT":   {unix.IPPROTO_TCP, unix.TCP_KEEPCNT},
		} {
			v, err := unix.GetsockoptInt(int(fd), opt[0], opt[1])
			require.NoError(t, err, name)
			opts[name] = v
		}
	}))
	assert.Equal(t, map[string]int{"SO_KEEPALIVE": 1, "TCP_KEEPIDLE": 15, "TCP_KEEPINTVL": 15, "TCP_KEEPCNT": 9}, opts)
	giveUp := time.Duration(opts["TCP_KEEPIDLE"]+opts["TCP_KEEPCNT"]*opts["TCP_KEEPINTVL"]) * time.Second
	t.Logf("a vanished peer that sends nothing is dropped by TCP after %v", giveUp)
	assert.Equal(t, 150*time.Second, giveUp)
}
