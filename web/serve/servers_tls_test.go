package serve_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// ioTimeout bounds every dial, read and write of these tests.
const ioTimeout = 10 * time.Second

// servers are the workbook's mains: each must speak wss:// when asked.
// echo is whether /ws echoes ("Received: M"); the polling lab's /ws pushes
// the events published with POST /publish. echo-epoll (Linux only, not
// run through package serve: it ends TLS in a front of its own) has no
// page.
var servers = []struct {
	name, dir string
	echo      bool
	noPage    bool // serves /ws only
	linux     bool // built on epoll
}{
	{name: "handshake/echo", dir: "../../handshake/echo", echo: true},
	{name: "echo-xnet", dir: "../../echo-xnet", echo: true},
	{name: "echo-gorilla", dir: "../../echo-gorilla", echo: true},
	{name: "polling", dir: "../../polling"},
	{name: "handshake/echo-epoll", dir: "../../handshake/echo-epoll", echo: true, noPage: true, linux: true},
}

// ANCHOR: trust

// trustPrinted returns a pool holding the certificate of the server at
// addr, having checked that its public key is the one the server printed
// (the "tls: public key SHA-256" line): the way a person trusts a
// self-signed certificate, by comparing fingerprints, once.
func trustPrinted(t *testing.T, printed []string, addr string) *x509.CertPool {
	t.Helper()
	spki := printedSPKI(t, printed)
	var got *x509.Certificate
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: ioTimeout}, "tcp", addr,
		&tls.Config{
			InsecureSkipVerify: true, // checked by hand, below
			VerifyConnection: func(cs tls.ConnectionState) error {
				if h := serve.SPKIHash(cs.PeerCertificates[0]); h != spki {
					return fmt.Errorf("the server's key is %s, not the %s it printed", h,
						spki)
				}
				got = cs.PeerCertificates[0]
				return nil
			},
		})
	require.NoError(t, err)
	conn.Close()
	pool := x509.NewCertPool()
	pool.AddCert(got)
	return pool
}

// ANCHOR_END: trust

// TestEveryServerSpeaksWSS starts every main with -tls-self-signed, as a
// process, and talks wss:// to it: with a client that trusts the printed
// certificate, it works; without, the handshake fails on the certificate;
// in plain ws://, the server says to use TLS; on SIGINT, the open wss://
// connection is told goodbye (1001) and the server exits 0.
func TestEveryServerSpeaksWSS(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			if s.linux && runtime.GOOS != "linux" {
				t.Skipf("%s runs on Linux only", s.name)
			}
			p := webtest.StartProcess(t, webtest.BuildServer(t, s.dir), "-tls-self-signed")
			require.True(t, strings.HasPrefix(p.URL, "https://127.0.0.1:"), "it printed %s", p.URL)
			require.True(t, strings.HasPrefix(p.WS(), "wss://"), p.WS())
			host := strings.TrimPrefix(p.URL, "https://")
			pool := trustPrinted(t, p.Before, host)

			// ANCHOR: dial
			d := websocket.Dialer{
				HandshakeTimeout: ioTimeout,
				TLSClientConfig:  &tls.Config{RootCAs: pool},
			}
			c, resp, err := d.Dial(p.WS(), nil)
			// ANCHOR_END: dial
			require.NoError(t, err)
			defer c.Close()
			assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
			require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
			if s.echo {
				require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte("hello over TLS")))
				_, msg, err := c.ReadMessage()
				require.NoError(t, err)
				assert.Equal(t, "Received: hello over TLS", string(msg))
			} else {
				https := &http.Client{Timeout: ioTimeout, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
				resp, err := https.Post(p.URL+"/publish", "text/plain", strings.NewReader("hello over TLS"))
				require.NoError(t, err)
				resp.Body.Close()
				require.Equal(t, http.StatusOK, resp.StatusCode)
				_, msg, err := c.ReadMessage()
				require.NoError(t, err)
				assert.Contains(t, string(msg), "hello over TLS")
			}

			_, _, err = (&websocket.Dialer{HandshakeTimeout: ioTimeout}).Dial(p.WS(), nil)
			require.ErrorAs(t, err, new(x509.UnknownAuthorityError), "a client that does not trust the certificate")

			_, resp, err = (&websocket.Dialer{HandshakeTimeout: ioTimeout}).Dial("ws://"+host+"/ws", nil)
			require.ErrorIs(t, err, websocket.ErrBadHandshake, "plain ws:// to a wss:// server")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

			// The goodbye goes out over TLS too: SIGINT, close 1001, exit 0.
			require.NoError(t, p.Cmd.Process.Signal(os.Interrupt))
			for { // an event or two may come first (the polling lab's ticks)
				if _, _, err := c.ReadMessage(); err != nil {
					require.True(t, websocket.IsCloseError(err, websocket.CloseGoingAway), "after SIGINT the client read %v, not close 1001", err)
					break
				}
			}
			select {
			case err := <-p.Exited:
				require.NoError(t, err, "exit status after SIGINT")
			case <-time.After(ioTimeout):
				t.Fatal("the server did not exit after SIGINT")
			}
		})
	}
}

// TestBrowserEchoesOverWSS opens each echo server's page over https:// in
// Chromium, trusting the server's key and nothing else: the page picks
// wss:// by itself, and the echo works. The frame inspector shows both
// messages in the clear: the tap is under TLS. Without the key, Chromium
// refuses the page.
func TestBrowserEchoesOverWSS(t *testing.T) {
	for _, s := range servers {
		if !s.echo || s.noPage {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			p := webtest.StartProcess(t, webtest.BuildServer(t, s.dir), "-tls-self-signed")
			ctx := webtest.Browser(t, webtest.TrustSPKI(printedSPKI(t, p.Before)))
			webtest.EchoInPage(t, ctx, p.URL, "hello over wss")
			assert.Contains(t, webtest.LogText(t, ctx), "connected to wss://"+strings.TrimPrefix(p.URL, "https://")+"/ws")
			rows := webtest.WaitForRows(t, ctx, 2)
			assert.Contains(t, rows[0].Cells[webtest.CellText], "hello over wss")
			assert.Contains(t, rows[1].Cells[webtest.CellText], "Received: hello over wss", "(inflated, if the server compresses)")
		})
	}
	t.Run("a browser that does not trust the key", func(t *testing.T) {
		p := webtest.StartProcess(t, webtest.BuildServer(t, servers[0].dir), "-tls-self-signed")
		ctx := webtest.Browser(t)
		err := chromedp.Do(ctx, chromedp.Navigate(p.URL))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "ERR_CERT_AUTHORITY_INVALID")
	})
}

// printedSPKI returns the public key hash a server printed.
func printedSPKI(t *testing.T, printed []string) string {
	t.Helper()
	for _, line := range printed {
		if rest, ok := strings.CutPrefix(line, "tls: public key SHA-256 "); ok {
			spki, _, _ := strings.Cut(rest, " ")
			return spki
		}
	}
	t.Fatalf("the server printed no public key fingerprint: %q", printed)
	return ""
}
