package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/chat/login"
	"github.com/websocket-in-go/workbook/web/serve"
)

// ask sends method url with the given cookie (if not "") and Origin
// (if not "") and returns the response and its body.
func ask(t *testing.T, method, url, cookie, origin string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	require.NoError(t, err)
	return resp, string(body)
}

// sessionOf returns the session cookie resp sets, or nil.
func sessionOf(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// TestPageStartsASession: GET / sets an anonymous session cookie, once:
// 128 random bits, HttpOnly, SameSite=Strict, for the whole site. A browser
// that comes back with it keeps it; one with a cookie no process made
// gets a new one. The page's other files set none.
func TestPageStartsASession(t *testing.T) {
	s := startChat(t, startNATS(t))
	resp, _ := ask(t, http.MethodGet, s.URL+"/", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	c := sessionOf(resp)
	require.NotNil(t, c, "GET / sets the session cookie")
	assert.Len(t, c.Value, 22, "16 bytes in base64url")
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
	assert.Equal(t, "/", c.Path)
	assert.False(t, c.Secure, "not over plain http")
	assert.Equal(t, int(sessionTTL/time.Second), c.MaxAge)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))

	again, _ := ask(t, http.MethodGet, s.URL+"/", c.Value, "")
	assert.Nil(t, sessionOf(again), "a valid session is kept")
	forged, _ := ask(t, http.MethodGet, s.URL+"/", token(sessionBytes), "")
	require.NotNil(t, sessionOf(forged), "a session no process made is replaced")
	assert.NotEqual(t, c.Value, sessionOf(forged).Value)
	req, err := http.NewRequest(http.MethodGet, s.URL+"/", nil)
	require.NoError(t, err)
	req.Header.Set("X-Forwarded-Proto", "https") // a proxy that ended TLS
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.NotNil(t, sessionOf(resp))
	assert.True(t, sessionOf(resp).Secure, "behind a proxy that ended TLS, Secure too")
	js, _ := ask(t, http.MethodGet, s.URL+"/chat.js", "", "")
	assert.Nil(t, sessionOf(js), "only the page starts a session")
}

// TestSessionOverTLSIsSecure: served over TLS, the cookie is Secure: a
// browser never sends it over plain http.
func TestSessionOverTLSIsSecure(t *testing.T) {
	certFile, keyFile, leaf := selfSignedFiles(t)
	s := startChat(t, startNATS(t), "-tls-cert", certFile, "-tls-key", keyFile)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	resp, err := (&http.Client{Transport: tr}).Get(s.URL + "/")
	require.NoError(t, err)
	resp.Body.Close()
	c := sessionOf(resp)
	require.NotNil(t, c)
	assert.True(t, c.Secure)
}

// ANCHOR: ticket-endpoint-test

// TestTicketEndpoint: POST /ticket wants a session and the origin policy
// of /ws. A page of an origin the policy admits gets CORS headers naming
// it, so it can read the ticket; a cross-site one gets 403 and none.
func TestTicketEndpoint(t *testing.T) {
	const other = "http://other.example:8080" // another chat's page
	nats := startNATS(t)
	s := startChat(t, nats, "-allow-origin", other)
	resp, _ := ask(t, http.MethodGet, s.URL+"/", "", "")
	session := sessionOf(resp).Value
	elsewhere := startChat(t, nats) // a session made by another process
	resp, _ = ask(t, http.MethodGet, elsewhere.URL+"/", "", "")
	sessionElsewhere := sessionOf(resp).Value

	cases := []struct {
		name, cookie, origin string
		status               int
		cors                 bool   // Access-Control-Allow-* headers for origin
		body                 string // in the body, unless it is a ticket
	}{
		{"no session", "", "", http.StatusUnauthorized, false, "no session"},
		{"a session no process made", token(sessionBytes), "", http.StatusUnauthorized, false, "no session"},
		{"a session cookie that is not one", "x", "", http.StatusUnauthorized, false, "no session"},
		{"a session, no Origin (curl, Go)", session, "", http.StatusOK, false, ""},
		{"a session, the page's own origin", session, s.URL, http.StatusOK, true, ""},
		{"a session made by another process", sessionElsewhere, "", http.StatusOK, false, ""},
		{"a session, an origin -allow-origin admits", session, other, http.StatusOK, true, ""},
		{"an admitted origin, no session", "", other, http.StatusUnauthorized, true, "no session"},
		{"a session, a cross-site page", session, "http://evil.example", http.StatusForbidden, false, "cross-origin"},
		{"a session, Origin null", session, "null", http.StatusForbidden, false, "cross-origin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ask(t, http.MethodPost, s.URL+"/ticket", tc.cookie, tc.origin)
			assert.Equal(t, tc.status, resp.StatusCode, body)
			assert.Contains(t, resp.Header.Values("Vary"), "Origin")
			if tc.cors {
				assert.Equal(t, tc.origin, resp.Header.Get("Access-Control-Allow-Origin"))
				assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
			} else {
				assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
				assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
			}
			if tc.status == http.StatusOK {
				assert.True(t, wellFormed(body, ticketBytes), "a ticket: %q", body)
				assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			} else {
				assert.Contains(t, body, tc.body)
			}
		})
	}
	resp, _ = ask(t, http.MethodGet, s.URL+"/ticket", session, "")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "a ticket is asked for with POST")
}

// ANCHOR_END: ticket-endpoint-test

// TestHugeSessionCookie: a 1 MiB Cookie header is answered by net/http's
// header limit (serve.MaxHeaderBytes, 16 KiB) with 431, before any handler
// or NATS sees it; the chat serves the next client.
func TestHugeSessionCookie(t *testing.T) {
	s := startChat(t, startNATS(t))
	host := strings.TrimPrefix(s.URL, "http://")
	conn, err := net.DialTimeout("tcp", host, ioWait)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(ioWait)))
	go func() { // the server stops reading at 16 KiB: write apart from the read
		_, _ = io.WriteString(conn, "POST /ticket HTTP/1.1\r\nHost: "+host+"\r\nCookie: "+sessionCookie+"="+
			strings.Repeat("A", 1<<20)+"\r\n\r\n")
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
	assert.Less(t, serve.MaxHeaderBytes, 1<<20)

	after, _ := ask(t, http.MethodGet, s.URL+"/", "", "")
	assert.Equal(t, http.StatusOK, after.StatusCode)
}

// TestLoginStartsASessionAgain: a Go client whose session the chat no
// longer knows gets 401 from POST /ticket; login.Ticket then loads the
// page for a new session and asks again, as a user would reload.
func TestLoginStartsASessionAgain(t *testing.T) {
	s := startChat(t, startNATS(t))
	hc := login.Client(nil)
	u, err := url.Parse(s.URL + "/")
	require.NoError(t, err)
	stale := token(sessionBytes) // well formed, made by no process
	hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: stale, Path: "/"}})
	tk, err := login.Ticket(context.Background(), hc, s.URL, nil)
	require.NoError(t, err)
	assert.True(t, wellFormed(tk, ticketBytes))
	require.Len(t, hc.Jar.Cookies(u), 1)
	assert.NotEqual(t, stale, hc.Jar.Cookies(u)[0].Value, "a new session")
}
