package proxy

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// headOnce listens on a loopback port, reads the head of one request (up to
// the empty line), answers 400 and returns the head's lines: the bytes a
// proxy sends to the server behind it, exactly.
func headOnce(t *testing.T) (addr string, head <-chan []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	got := make(chan []string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(ioTimeout))
		r := bufio.NewReader(c)
		var lines []string
		for {
			line, err := r.ReadString('\n')
			line = strings.TrimRight(line, "\r\n")
			if err != nil || line == "" {
				break
			}
			lines = append(lines, line)
		}
		_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		got <- lines
	}()
	return ln.Addr().String(), got
}

// ANCHOR: what_nginx_sends

// TestWhatNginxSends shows the handshake as the server behind nginx
// receives it, with and without the tested file's Upgrade lines. Run it
// with -v to see the bytes.
func TestWhatNginxSends(t *testing.T) {
	cases := []struct {
		name string
		conf string
		want []string // lines the server must see
		not  []string // and must not
	}{
		{"nginx.conf", NginxConf,
			[]string{"GET /ws HTTP/1.1", "Upgrade: websocket", "Connection: upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="},
			[]string{"Connection: close"}},
		{"nginx.conf without the Upgrade lines",
			without(t, NginxConf, "proxy_http_version", "proxy_set_header Upgrade", "proxy_set_header Connection"),
			[]string{"GET /ws HTTP/1.0", "Connection: close", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="},
			[]string{"Upgrade: websocket"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			upstream, head := headOnce(t)
			n := StartNginxConf(t, tc.conf, upstream)
			h := map[string][]string{
				"Origin":            {"http://" + n.Host()},
				"Sec-WebSocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}, // RFC 6455 §1.3's example key
			}
			d := websocket.Dialer{HandshakeTimeout: ioTimeout}
			_, _, err := d.Dial(n.WS(), h)
			require.ErrorIs(t, err, websocket.ErrBadHandshake)
			lines := <-head
			for _, w := range tc.want {
				assert.Contains(t, lines, w)
			}
			for _, w := range tc.not {
				assert.NotContains(t, lines, w)
			}
			t.Logf("the server behind nginx reads:\n%s", show(lines, n.Host()))
		})
	}
}

// ANCHOR_END: what_nginx_sends

// show returns a request head for the chapter, in the order it came, with
// the proxy's port number of this run replaced by PROXY.
func show(lines []string, proxyHost string) string {
	return strings.ReplaceAll(strings.Join(lines, "\n"), proxyHost, "127.0.0.1:PROXY")
}
