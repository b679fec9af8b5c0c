package serve

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// TLS is the certificate a server answers https:// and wss:// with, from
// its command line: -tls-cert FILE -tls-key FILE (a certificate you were
// given, PEM), or -tls-self-signed (one made at start, for localhost). The
// zero value, no flags, serves plain http:// and ws://. Parse loads or
// makes the certificate, so a bad combination or an unreadable file is a
// usage error (exit 2) before the server listens.
type TLS struct {
	// CertFile is the PEM certificate chain (-tls-cert), leaf first.
	CertFile string
	// KeyFile is the PEM private key of the leaf (-tls-key).
	KeyFile string
	// SelfSigned asks for a certificate made at start (-tls-self-signed).
	SelfSigned bool

	cert *tls.Certificate // loaded or made by Load
}

// tlsFlags are the flags FlagSet adds for TLS. Parse finds the *TLS behind
// them through the -tls-cert flag's value (see certFlag).
func (t *TLS) addFlags(fs *flag.FlagSet) {
	fs.Var(certFlag{t}, "tls-cert", "serve https:// and wss:// with the PEM certificate chain in `file` (needs -tls-key)")
	fs.StringVar(&t.KeyFile, "tls-key", "", "the PEM private key of -tls-cert, in `file`")
	fs.BoolVar(&t.SelfSigned, "tls-self-signed", false,
		"serve https:// and wss:// with a certificate for localhost made at start;\n"+
			"prints its fingerprints")
}

// certFlag is the -tls-cert flag: a string flag that also leads Parse to
// the TLS it belongs to, so that Parse can check the TLS flags together.
type certFlag struct{ t *TLS }

func (f certFlag) String() string {
	if f.t == nil {
		return ""
	}
	return f.t.CertFile
}

func (f certFlag) Set(v string) error { f.t.CertFile = v; return nil }

// ANCHOR: load

// Load checks the TLS flags together and loads the certificate they name,
// or makes one. It is called by Parse; a server that fills TLS itself calls
// it before Run. Refused: a certificate without its key or a key without
// its certificate, both -tls-self-signed and files, and files that cannot
// be read or do not hold a certificate and its key.
func (t *TLS) Load() error {
	files := t.CertFile != "" || t.KeyFile != ""
	switch {
	case t.SelfSigned && files:
		return errors.New("-tls-self-signed, or -tls-cert and -tls-key: " +
			"give one, not both")
	case t.SelfSigned:
		cert, err := SelfSigned()
		if err != nil {
			return err
		}
		t.cert = cert
	case t.CertFile == "" && t.KeyFile != "":
		return errors.New("-tls-key needs -tls-cert, the certificate it is the key of")
	case t.CertFile != "" && t.KeyFile == "":
		return errors.New("-tls-cert needs -tls-key, the certificate's private key")
	case files:
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return fmt.Errorf("-tls-cert and -tls-key: %w", err) // err names the file
		}
		t.cert = &cert
	}
	return nil
}

// ANCHOR_END: load

// Enabled reports whether a certificate has been loaded: the server speaks
// https:// and wss://.
func (t *TLS) Enabled() bool { return t != nil && t.cert != nil }

// Certificate returns the loaded certificate, or nil.
func (t *TLS) Certificate() *tls.Certificate {
	if t == nil {
		return nil
	}
	return t.cert
}

// ANCHOR: config

// Config returns the server's tls.Config: the loaded certificate, TLS 1.2
// at least, and HTTP/1.1 only. A WebSocket over HTTP/1.1 takes the
// connection over (RFC 6455 §4); over HTTP/2 it would need the extended
// CONNECT of RFC 8441 instead, which net/http's hijacking handlers cannot
// serve. Offering only "http/1.1" in ALPN (RFC 7301) keeps the browser on
// the protocol that every server in the workbook speaks.
func (t *TLS) Config() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{*t.cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
}

// ANCHOR_END: config

// ANCHOR: fingerprints

// SPKIHash is the base64 of the SHA-256 of the certificate's public key
// (its SubjectPublicKeyInfo): what Chromium's
// --ignore-certificate-errors-spki-list takes, and what HTTP public key
// pinning used. It stays the same when a certificate is renewed with the
// same key.
func SPKIHash(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// CertHash is the SHA-256 fingerprint of the whole certificate (its DER
// bytes), in the colon-separated hex that browsers and
// `openssl x509 -fingerprint -sha256` show.
func CertHash(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	hex := make([]string, len(sum))
	for i, b := range sum {
		hex[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(hex, ":")
}

// ANCHOR_END: fingerprints

// Describe writes what Run prints about the certificate before its
// "listening on" line: where it comes from and its two fingerprints. The
// lines fit 90 columns: the certificate's fingerprint is written in two
// halves of 16 bytes, one under the other.
func (t *TLS) Describe(w io.Writer) {
	leaf := t.cert.Leaf
	names := strings.Join(leafNames(leaf), ", ")
	if t.SelfSigned {
		fmt.Fprintf(w, "tls: self-signed certificate for %s (ECDSA P-256),\n", names)
	} else {
		fmt.Fprintf(w, "tls: certificate from %s for %s,\n", t.CertFile, names)
	}
	until := leaf.NotAfter.UTC().Format("2006-01-02 15:04 MST")
	fmt.Fprintf(w, "     valid until %s\n", until)
	hash := CertHash(leaf) // 32 bytes: "72:CF:…:AF"
	fmt.Fprintf(w, "tls: certificate SHA-256 %s\n%25s%s\n", hash[:48], "", hash[48:])
	spki := SPKIHash(leaf)
	fmt.Fprintf(w, "tls: public key SHA-256 %s (for chromium\n"+
		"     --ignore-certificate-errors-spki-list=%s)\n", spki, spki)
}

// leafNames lists the names and addresses a certificate is valid for.
func leafNames(c *x509.Certificate) []string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		names = append(names, c.Subject.CommonName)
	}
	return names
}
