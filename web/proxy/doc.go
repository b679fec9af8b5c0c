// Package proxy puts the workbook's WebSocket servers behind a reverse
// proxy, for the chapter "Into production": Go's own
// net/http/httputil.ReverseProxy (New) and nginx, with the configuration
// the chapter shows (nginx.conf, tested here).
//
// What it teaches: the handshake's Upgrade and Connection headers are
// hop-by-hop, so a proxy passes them on only when told (nginx) or when it
// knows WebSocket (httputil.ReverseProxy, since Go 1.12); the server's
// origin check compares the page's Origin with the Host header, so the
// proxy must pass on the Host the browser sent; and the server sees the
// proxy's address, so the client's comes in X-Forwarded-For.
//
// StartGo and StartNginx start either proxy in front of a server for a
// test, on a loopback port; other packages' tests use them too.
package proxy
