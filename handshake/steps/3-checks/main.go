// Command 3-checks is step 3 of the chapter "The opening handshake". Step
// 2 answered 101 to anything that reached /ws: a POST, a request with no
// key, a client that speaks version 8, a page from another site. This step
// applies the checks of RFC 6455 §4.2.1, in the RFC's order, each with its
// status. The chapter's final code is package handshake's Upgrade.
//
//	go run ./handshake/steps/3-checks
//
// Frames are the next chapter's: after the 101 this step reads and drops
// whatever comes until the client hangs up.
package main

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// guid is the fixed string of RFC 6455 §1.3 that the server appends to the
// client's key before hashing.
const guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// acceptKey is the Sec-WebSocket-Accept value for a key (§4.2.2): the
// base64 of the SHA-1 of key + guid, the key taken as the text it is.
func acceptKey(key string) string {
	sum := sha1.Sum([]byte(key + guid))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// ANCHOR: check

// check applies the server's checks of RFC 6455 §4.2.1 in the RFC's order
// and returns the first failure: its status, a header to send with it
// ("Name: value", or ""), and the reason; a status of 0 means none failed.
func check(r *http.Request) (status int, header, reason string) {
	key, err := base64.StdEncoding.DecodeString(r.Header.Get("Sec-WebSocket-Key"))
	switch {
	case r.Method != http.MethodGet:
		return http.StatusMethodNotAllowed, "Allow: GET", "a handshake is a GET"
	case !r.ProtoAtLeast(1, 1):
		return http.StatusBadRequest, "", "a handshake needs HTTP/1.1"
	case !hasToken(r.Header, "Upgrade", "websocket"):
		return http.StatusBadRequest, "", `Upgrade must contain "websocket"`
	case !hasToken(r.Header, "Connection", "upgrade"):
		return http.StatusBadRequest, "", `Connection must contain "Upgrade"`
	case err != nil || len(key) != 16 || len(r.Header.Values("Sec-WebSocket-Key")) != 1:
		return http.StatusBadRequest, "", "the key must be the base64 of 16 bytes"
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return http.StatusUpgradeRequired, "Sec-WebSocket-Version: 13", "only version 13"
	case !sameOrigin(r):
		return http.StatusForbidden, "", "cross-origin: " + r.Header.Get("Origin")
	}
	return 0, "", ""
}

// hasToken reports whether a comma-separated header holds token, in any
// case: "Connection: keep-alive, Upgrade" holds "upgrade".
func hasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// sameOrigin accepts no Origin (a program, not a page) or this host's own.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// ANCHOR_END: check

// upgrade takes the connection from net/http and writes the 101 itself:
// from the blank line on, the connection no longer speaks HTTP.
func upgrade(w http.ResponseWriter, r *http.Request) {
	// ANCHOR: refuse
	if status, header, reason := check(r); status != 0 {
		if header != "" {
			name, value, _ := strings.Cut(header, ": ")
			w.Header().Set(name, value)
		}
		http.Error(w, reason, status)
		return
	}
	// ANCHOR_END: refuse
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot take over the connection", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + acceptKey(r.Header.Get("Sec-WebSocket-Key")) + "\r\n" +
		"\r\n")
	if rw.Flush() == nil {
		hold(rw.Reader)
	}
}

// hold reads and drops what the client sends until it hangs up.
func hold(r *bufio.Reader) {
	_, _ = io.Copy(io.Discard, r)
}

func main() {
	addr := flag.String("addr", "localhost:1234", "the address to listen on")
	flag.Parse()
	http.HandleFunc("/ws", upgrade)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	log.Fatal(http.Serve(ln, nil))
}
