package serve

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// certFiles writes a new self-signed certificate and its key into the
// test's directory and returns the certificate and the two paths.
func certFiles(t *testing.T) (*tls.Certificate, string, string) {
	t.Helper()
	cert, err := SelfSigned()
	require.NoError(t, err)
	certPEM, keyPEM, err := PEM(cert)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	return cert, certFile, keyFile
}

func TestTLSLoad(t *testing.T) {
	_, certFile, keyFile := certFiles(t)
	_, otherCert, _ := certFiles(t) // a certificate whose key is not keyFile
	cases := []struct {
		name    string
		tls     TLS
		enabled bool
		err     string // "" for no error
	}{
		{"no flags: plain http", TLS{}, false, ""},
		{"a certificate and its key", TLS{CertFile: certFile, KeyFile: keyFile}, true, ""},
		{"self-signed", TLS{SelfSigned: true}, true, ""},
		{"a certificate without its key", TLS{CertFile: certFile}, false, "-tls-cert needs -tls-key"},
		{"a key without its certificate", TLS{KeyFile: keyFile}, false, "-tls-key needs -tls-cert"},
		{"self-signed and files", TLS{CertFile: certFile, KeyFile: keyFile, SelfSigned: true}, false, "not both"},
		{"self-signed and a key", TLS{KeyFile: keyFile, SelfSigned: true}, false, "not both"},
		{"a file that is not there", TLS{CertFile: certFile + ".missing", KeyFile: keyFile}, false, "no such file"},
		{"the key of another certificate", TLS{CertFile: otherCert, KeyFile: keyFile}, false, "private key does not match public key"},
		{"a key where the certificate goes", TLS{CertFile: keyFile, KeyFile: keyFile}, false, "failed to find certificate PEM data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.tls.Load()
			if tc.err == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
			}
			assert.Equal(t, tc.enabled, tc.tls.Enabled())
		})
	}
}

// TestSelfSigned: the certificate is ECDSA P-256, valid now for the three
// loopback names and for nothing else, and only for a client that trusts it.
func TestSelfSigned(t *testing.T) {
	cert, err := SelfSigned()
	require.NoError(t, err)
	leaf := cert.Leaf
	key, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	require.True(t, ok, "the key is %T", leaf.PublicKey)
	assert.Equal(t, elliptic.P256(), key.Curve)
	assert.False(t, leaf.IsCA)

	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool})
		assert.NoError(t, err, "valid for %s", name)
	}
	_, err = leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool})
	assert.ErrorAs(t, err, new(x509.HostnameError), "valid for example.com")
	_, err = leaf.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: x509.NewCertPool()})
	assert.ErrorAs(t, err, new(x509.UnknownAuthorityError), "valid for a client that does not trust it")
	_, err = leaf.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: pool, CurrentTime: time.Now().Add(SelfSignedValidity + time.Minute)})
	assert.Error(t, err, "still valid after SelfSignedValidity")

	other, err := SelfSigned()
	require.NoError(t, err)
	assert.NotEqual(t, SPKIHash(leaf), SPKIHash(other.Leaf), "two starts, two keys")
}

// startTLS runs srv with a new self-signed certificate and returns its
// address, its certificate and what it printed up to its listening line.
func startTLS(t *testing.T, srv *Server) (addr string, leaf *x509.Certificate, printed []string) {
	t.Helper()
	srv.TLS = &TLS{SelfSigned: true}
	require.NoError(t, srv.TLS.Load())
	ctx, cancel := context.WithCancel(context.Background())
	out := make(lines, 8)
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx, out) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-ran)
	})
	for {
		select {
		case line := <-out:
			printed = append(printed, strings.TrimSpace(line))
			if u, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on https://"); ok {
				return u, srv.TLS.Certificate().Leaf, printed
			}
		case err := <-ran:
			t.Fatalf("the server did not start: %v", err)
		case <-time.After(ioTimeout):
			t.Fatalf("the server did not print its listening line; it printed %q", printed)
		}
	}
}

// TestRunPrintsFingerprints: before its https:// URL, a server with TLS
// prints the two fingerprints of its certificate.
func TestRunPrintsFingerprints(t *testing.T) {
	srv := &Server{Addr: "127.0.0.1:0", Handler: noContent}
	_, leaf, printed := startTLS(t, srv)
	require.NotEmpty(t, printed)
	assert.Regexp(t, `^listening on https://127\.0\.0\.1:\d+$`, printed[len(printed)-1])
	var described strings.Builder
	srv.TLS.Describe(&described)
	assert.Equal(t, strings.Fields(described.String()), strings.Fields(strings.Join(printed[:len(printed)-1], " ")),
		"Run prints what Describe writes, before its listening line")
	lines := strings.Split(strings.TrimSuffix(described.String(), "\n"), "\n")
	require.Len(t, lines, 6, "%q", lines)
	assert.Equal(t, "tls: self-signed certificate for localhost, 127.0.0.1, ::1 (ECDSA P-256),", lines[0])
	assert.Regexp(t, `^     valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC$`, lines[1])
	hash := CertHash(leaf)
	assert.Equal(t, "tls: certificate SHA-256 "+hash[:48], lines[2], "the first 16 bytes, and a colon")
	assert.Equal(t, strings.Repeat(" ", 25)+hash[48:], lines[3], "the last 16, under them")
	assert.Equal(t, "tls: public key SHA-256 "+SPKIHash(leaf)+" (for chromium", lines[4])
	assert.Equal(t, "     --ignore-certificate-errors-spki-list="+SPKIHash(leaf)+")", lines[5])
	for _, l := range lines {
		assert.LessOrEqual(t, len(l), 90, "%q is wider than the book", l)
	}
}

// TestServeTLS: what clients of every kind get from a server with TLS.
func TestServeTLS(t *testing.T) {
	addr, leaf, _ := startTLS(t, &Server{Addr: "127.0.0.1:0", Handler: noContent, ReadHeaderTimeout: 300 * time.Millisecond})
	pool := x509.NewCertPool()
	pool.AddCert(leaf)

	t.Run("a client that trusts the certificate", func(t *testing.T) {
		client := &http.Client{Timeout: ioTimeout, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := client.Get("https://" + addr + "/")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNoContent, resp.StatusCode)
		assert.Equal(t, "HTTP/1.1", resp.Proto)
	})
	t.Run("a client that does not", func(t *testing.T) {
		client := &http.Client{Timeout: ioTimeout}
		_, err := client.Get("https://" + addr + "/")
		var unknown x509.UnknownAuthorityError
		require.ErrorAs(t, err, &unknown)
		assert.Contains(t, err.Error(), "certificate signed by unknown authority")
	})
	t.Run("a client that asks for HTTP/2 gets HTTP/1.1", func(t *testing.T) {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: ioTimeout}, "tcp", addr, &tls.Config{RootCAs: pool, ServerName: "localhost", NextProtos: []string{"h2", "http/1.1"}})
		require.NoError(t, err)
		defer conn.Close()
		assert.Equal(t, "http/1.1", conn.ConnectionState().NegotiatedProtocol)
	})
	t.Run("a plain http:// client is told so in plain HTTP", func(t *testing.T) {
		resp := rawRequest(t, addr, "GET /ws HTTP/1.1\r\nHost: "+addr+"\r\nUpgrade: websocket\r\n\r\n")
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Equal(t, "Client sent an HTTP request to an HTTPS server.\n", resp.body)
	})
	t.Run("a client that never sends its ClientHello is dropped", func(t *testing.T) {
		conn := dial(t, addr)
		_, err := conn.Read(make([]byte, 1))
		assert.ErrorIs(t, err, io.EOF, "the server closes the connection after ReadHeaderTimeout")
	})
	t.Run("a client that sends half a ClientHello is dropped", func(t *testing.T) {
		conn := dial(t, addr)
		// A TLS record header announcing 512 bytes of handshake, then 3.
		_, err := conn.Write([]byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01})
		require.NoError(t, err)
		_, err = bufio.NewReader(conn).ReadByte()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the server kept the connection open")
		}
		assert.Error(t, err)
	})
}
