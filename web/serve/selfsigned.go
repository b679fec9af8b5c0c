package serve

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"time"
)

// SelfSignedValidity is how long a -tls-self-signed certificate is valid.
// It is made afresh at every start, so a week is plenty, and short enough
// that a copy left lying around soon stops working.
const SelfSignedValidity = 7 * 24 * time.Hour

// ANCHOR: selfsigned

// SelfSigned makes a certificate for localhost, 127.0.0.1 and ::1, signed
// by its own new ECDSA P-256 key: what -tls-self-signed serves. No browser
// or client trusts it by itself; a client that is told its fingerprint
// can (see SPKIHash).
func SelfSigned() (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{CommonName: "localhost",
			Organization: []string{"WebSocket in Go workbook, self-signed"}},
		// A clock a little behind ours still accepts it.
		NotBefore: now.Add(-time.Hour),
		NotAfter:  now.Add(SelfSignedValidity),
		// A browser checks the name against these, never the CommonName
		// (RFC 6125 §6.4.4; Chromium since version 58).
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		// Not a CA: it signs nothing but itself.
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey,
		key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// ANCHOR_END: selfsigned

// PEM returns cert's chain and private key in PEM, as -tls-cert and
// -tls-key read them.
func PEM(cert *tls.Certificate) (certPEM, keyPEM []byte, err error) {
	for _, der := range cert.Certificate {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		return nil, nil, err
	}
	return certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}
