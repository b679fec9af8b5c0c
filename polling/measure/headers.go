package main

import "net/http"

// ANCHOR: headers
// chromeUserAgent is the User-Agent of Chrome 131 on Linux, as sent in late
// 2024; Chrome now freezes most of it (User-Agent reduction), so it is also
// what newer versions send, but for the version number.
const chromeUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, " +
	"like Gecko) Chrome/131.0.0.0 Safari/537.36"

// chromeBrands is the Sec-Ch-Ua header Chrome 131 sends with it.
const chromeBrands = `"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"`

// fetchHeaders are the headers Chrome adds to a same-origin fetch() GET,
// copied from its DevTools (Network, "view source"), cookie-less. Host is
// added by the client; Referer is the page's address.
func fetchHeaders(origin string) http.Header {
	return http.Header{
		"Connection":         {"keep-alive"},
		"Sec-Ch-Ua-Platform": {`"Linux"`},
		"User-Agent":         {chromeUserAgent},
		"Sec-Ch-Ua":          {chromeBrands},
		"Sec-Ch-Ua-Mobile":   {"?0"},
		"Accept":             {"*/*"},
		"Sec-Fetch-Site":     {"same-origin"},
		"Sec-Fetch-Mode":     {"cors"},
		"Sec-Fetch-Dest":     {"empty"},
		"Referer":            {origin + "/"},
		"Accept-Encoding":    {"gzip, deflate, br, zstd"},
		"Accept-Language":    {"en-US,en;q=0.9"},
	}
}

// eventSourceHeaders are what Chrome sends with an EventSource's GET: a
// fetch's headers, but Accept: text/event-stream (HTML §9.2.2), and, since
// the request's cache mode is no-store, the Pragma and Cache-Control:
// no-cache that the Fetch Standard adds to such a request (§4.5).
func eventSourceHeaders(origin string) http.Header {
	h := fetchHeaders(origin)
	h.Set("Accept", "text/event-stream")
	h.Set("Pragma", "no-cache")
	h.Set("Cache-Control", "no-cache")
	return h
}

// handshakeHeaders are what Chrome adds to a WebSocket opening handshake
// beyond the ones the client library writes itself (Host, Upgrade,
// Connection, Sec-WebSocket-Key, Sec-WebSocket-Version, and, with
// compression enabled, Sec-WebSocket-Extensions).
func handshakeHeaders(origin string) http.Header {
	return http.Header{
		"Pragma":          {"no-cache"},
		"Cache-Control":   {"no-cache"},
		"User-Agent":      {chromeUserAgent},
		"Origin":          {origin},
		"Accept-Encoding": {"gzip, deflate, br, zstd"},
		"Accept-Language": {"en-US,en;q=0.9"},
	}
}

// ANCHOR_END: headers
