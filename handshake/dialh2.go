package handshake

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// ANCHOR: dial-h2

// DialH2 opens a WebSocket on a new stream of an HTTP/2 connection (RFC
// 8441 §5): it sends the extended CONNECT request
//
//	:method CONNECT
//	:protocol websocket
//	:scheme https
//	:path /ws
//	:authority localhost:1234
//	sec-websocket-version 13
//	(and the extra header: origin, sec-websocket-protocol, ...)
//
// through rt, and expects 200. The URL is wss:// (or https://). rt must
// speak HTTP/2 and let a request carry :protocol: golang.org/x/net/http2's
// Transport does (it waits for the server's SETTINGS and fails with "extended
// connect not supported by peer" unless they enable it); net/http's
// Transport does not, it refuses ":protocol" as an invalid header name.
// Streams of one Transport share its TCP connections: a second DialH2 to
// the same server opens a stream on the same connection. Cancelling ctx
// ends the handshake; once DialH2 has returned, ctx no longer matters.
func DialH2(ctx context.Context, rt http.RoundTripper, rawURL string,
	header http.Header) (*Conn, *http.Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, err
	}
	switch u.Scheme {
	case "wss", "https":
		u.Scheme = "https"
	default:
		return nil, nil, fmt.Errorf("websocket: DialH2 needs a wss:// URL, not %q",
			rawURL)
	}
	if _, err := checkDialHeader(header, u.Host); err != nil {
		return nil, nil, err
	}
	// The stream outlives ctx: it gets a context of its own, which ctx
	// cancels until the handshake is done, and Close cancels after.
	streamCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, cancel)
	pr, pw := io.Pipe() // what we write is the request body: DATA frames
	req, err := http.NewRequestWithContext(streamCtx, http.MethodConnect, u.String(), pr)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	for name, values := range header {
		req.Header[http.CanonicalHeaderKey(name)] = values
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h
	}
	req.Header[":protocol"] = []string{"websocket"}
	req.Header.Set("Sec-WebSocket-Version", "13")

	resp, err := rt.RoundTrip(req)
	if !stop() && err == nil {
		err = ctx.Err() // cancelled just as the answer came
		resp.Body.Close()
	}
	if err == nil {
		err = checkStreamResponse(resp, header)
		if err != nil {
			resp.Body.Close()
		}
	}
	if err != nil {
		cancel()
		pw.Close()
		return nil, resp, err
	}
	stream := newStreamConn(resp.Body, pw, nil,
		func() { pw.CloseWithError(os.ErrDeadlineExceeded); cancel() },
		func() { pw.Close(); resp.Body.Close(); cancel() },
		nil, nil)
	return newConn(stream, nil, true), resp, nil
}

// ANCHOR_END: dial-h2

// checkStreamResponse is checkResponse for RFC 8441: any 2xx is success
// (§5: "a response with a 2xx status code"), and the answer may choose no
// extension (DialH2 offers none) and no subprotocol it was not offered.
func checkStreamResponse(resp *http.Response, offered http.Header) error {
	protocols := resp.Header.Values("Sec-WebSocket-Protocol")
	switch {
	case resp.StatusCode/100 != 2:
		return fmt.Errorf("websocket: server answered %s, not 200 OK", resp.Status)
	case len(resp.Header.Values("Sec-WebSocket-Extensions")) > 0:
		return fmt.Errorf("websocket: server chose extension %q, which was not offered", resp.Header.Get("Sec-WebSocket-Extensions"))
	case len(protocols) > 1 || (len(protocols) == 1 && !offers(offered, "Sec-WebSocket-Protocol", protocols[0])):
		return fmt.Errorf("websocket: server chose subprotocol %q, which was not offered", strings.Join(protocols, ", "))
	}
	return nil
}
