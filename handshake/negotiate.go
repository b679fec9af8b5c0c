package handshake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Compression turns on permessage-deflate (RFC 7692) for Upgrade (in
// Options) or for a Dialer. A nil *Compression means no compression, and no
// byte of compression state in the Conn.
type Compression struct {
	// ContextTakeover lets each side's compressor keep its LZ77 window (the
	// last 32 KiB of the messages it compressed) from one message to the
	// next (§7.1.1): a message like an earlier one compresses to a few
	// bytes. It costs a flate.Writer of its own per connection that has
	// sent a compressed message (measured: about 1.2 MiB, see the chapter
	// "Compression"), and 32 KiB per connection for the peer's window.
	// Without it both sides are asked not to take over the context
	// (server_no_context_takeover and client_no_context_takeover, as gorilla
	// and coder/websocket do), and every message is compressed by a writer
	// borrowed from a pool for that message only.
	ContextTakeover bool
	// Threshold is the size below which a message is sent uncompressed
	// (RSV1 clear: §6 lets every message choose). 0 means
	// DefaultCompressionThreshold; a negative Threshold compresses every
	// message.
	Threshold int
}

// DefaultCompressionThreshold is the smallest message that is compressed
// unless Compression.Threshold says otherwise: 128 bytes (coder/websocket
// has a threshold too, 512 bytes without context takeover). Below it the
// deflate block header and Huffman tables cost about what they save, and
// the message is sent as it is, without a single allocation.
const DefaultCompressionThreshold = 128

// threshold is c's Threshold, with 0 meaning the default.
func (c *Compression) threshold() int {
	if c.Threshold == 0 {
		return DefaultCompressionThreshold
	}
	return c.Threshold
}

// ANCHOR: params

// deflateParams is what one side agreed to in the handshake: whether each
// side's compressor may keep its window between messages, and the largest
// window each side's compressor may use, as a power of two (§7.1.2).
type deflateParams struct {
	serverNoContextTakeover bool // §7.1.1.1
	clientNoContextTakeover bool // §7.1.1.2
	serverMaxWindowBits     int  // §7.1.2.1: 8–15; 15 (32 KiB) when not negotiated
	clientMaxWindowBits     int  // §7.1.2.2: 8–15; 15 when not negotiated
}

// ANCHOR_END: params

// extensionName is the registered name of RFC 7692's extension.
const extensionName = "permessage-deflate"

// maxWindowBits is DEFLATE's largest window, 2^15 = 32 KiB, the only one
// compress/flate compresses with.
const maxWindowBits = 15

// extension is one element of a Sec-WebSocket-Extensions header (RFC 6455
// §9.1): a name and its parameters, in order, each value unquoted ("" for
// a parameter without one).
type extension struct {
	name   string
	params []extensionParam
}

type extensionParam struct {
	name, value string
	hasValue    bool
}

// parseExtensions splits every Sec-WebSocket-Extensions header in h into
// extensions, in the order the peer listed them (its order of preference,
// §9.1). Parameter names and values are kept as written; the caller
// checks them.
func parseExtensions(h http.Header) []extension {
	var exts []extension
	for _, line := range headerValues(h, "Sec-WebSocket-Extensions") {
		for elem := range strings.SplitSeq(line, ",") {
			parts := strings.Split(elem, ";")
			ext := extension{name: strings.TrimSpace(parts[0])}
			if ext.name == "" {
				continue // "a, , b" is allowed by the #list rule of RFC 9110 §5.6.1
			}
			for _, p := range parts[1:] {
				name, value, hasValue := strings.Cut(p, "=")
				param := extensionParam{name: strings.TrimSpace(name), hasValue: hasValue}
				if hasValue {
					v := strings.TrimSpace(value)
					// §9.1 allows a quoted-string; RFC 7692 §7.1 says the
					// value then reads as the token inside the quotes.
					if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
						v = v[1 : len(v)-1]
					}
					param.value = v
				}
				ext.params = append(ext.params, param)
			}
			exts = append(exts, ext)
		}
	}
	return exts
}

// headerValues returns every value of the header name, whatever the case
// its key was written in.
func headerValues(h http.Header, name string) []string {
	var vs []string
	for k, values := range h {
		if strings.EqualFold(k, name) {
			vs = append(vs, values...)
		}
	}
	return vs
}

// parseWindowBits reads a window size parameter: 8 to 15, written as the
// ABNF of §7.1.2.1 has it (%x38-39 / "1" %x30-35: no sign, no leading zero).
func parseWindowBits(v string) (int, bool) {
	if len(v) == 0 || len(v) > 2 || v[0] == '0' || v[0] == '+' {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 8 || n > 15 {
		return 0, false
	}
	return n, true
}

// ANCHOR: accept-offer

// acceptOffer decides whether the server can accept one permessage-deflate
// offer (§7.1), and if so what it agrees to. §7.1 has the server decline an
// offer with a parameter it does not know, a value out of range, or a
// parameter given twice, rather than guess; the next offer is then tried.
func acceptOffer(ext extension, cfg *Compression) (deflateParams, bool) {
	p := deflateParams{serverMaxWindowBits: maxWindowBits,
		clientMaxWindowBits: maxWindowBits}
	seen := map[string]bool{}
	for _, param := range ext.params {
		name := strings.ToLower(param.name)
		if seen[name] {
			return p, false // a parameter given twice
		}
		seen[name] = true
		switch name {
		case "server_no_context_takeover":
			// §7.1.1.1: the client asks us to start every message afresh.
			// We must then say so in the response.
			if param.hasValue {
				return p, false
			}
			p.serverNoContextTakeover = true
		case "client_no_context_takeover":
			// §7.1.1.2: a hint that the client will not take over its
			// context. Saying so in the response costs it nothing and
			// spares us its 32 KiB window.
			if param.hasValue {
				return p, false
			}
			p.clientNoContextTakeover = true
		case "server_max_window_bits":
			// §7.1.2.1: the client's window for our messages. compress/flate
			// always looks back 32 KiB, but Huffman-only output looks back
			// nowhere, so it fits any window: we accept every size, and use
			// flate.HuffmanOnly below 15.
			bits, ok := parseWindowBits(param.value)
			if !ok {
				return p, false
			}
			p.serverMaxWindowBits = bits
		case "client_max_window_bits":
			// §7.1.2.2: the client can limit its window if we ask. We do
			// not ask: our inflater reads any window up to 32 KiB.
			if param.hasValue {
				if _, ok := parseWindowBits(param.value); !ok {
					return p, false
				}
			}
		default:
			return p, false
		}
	}
	if !cfg.ContextTakeover {
		// No context takeover, both ways: a server may add both parameters
		// to any response (§7.1.1.1, §7.1.1.2).
		p.serverNoContextTakeover = true
		p.clientNoContextTakeover = true
	}
	return p, true
}

// ANCHOR_END: accept-offer

// ANCHOR: negotiate

// negotiateServer picks the first permessage-deflate offer in r that the
// server can accept (§5: the client lists them in its order of
// preference), and returns what was agreed and the response header's
// value; ok is false when there is no offer to accept, and the 101 then
// carries no extension at all (§9.1: declining is not a failure).
func negotiateServer(r *http.Request,
	cfg *Compression) (p deflateParams, response string, ok bool) {
	if cfg == nil {
		return p, "", false
	}
	for _, ext := range parseExtensions(r.Header) {
		if !strings.EqualFold(ext.name, extensionName) {
			continue // an extension we do not implement
		}
		if p, ok := acceptOffer(ext, cfg); ok {
			return p, p.response(), true
		}
	}
	return p, "", false
}

// appendExtensions negotiates permessage-deflate for r and, if an offer
// was accepted, appends the response's Sec-WebSocket-Extensions line to
// the 101 in b and returns the Conn's compression state. Not inlined: the
// handshake's frame stays as small as it was without compression (see
// ReadMessage on why stack frames matter here).
//
//go:noinline
func appendExtensions(b []byte, r *http.Request,
	cfg *Compression) ([]byte, *deflateState) {
	p, response, ok := negotiateServer(r, cfg)
	if !ok {
		return b, nil
	}
	b = append(b, "\r\nSec-WebSocket-Extensions: "...)
	b = append(b, response...)
	return b, newDeflateState(p, cfg, false)
}

// response is the Sec-WebSocket-Extensions value that tells the client
// what the server agreed to, as in RFC 7692 §7.1.3's examples.
func (p deflateParams) response() string {
	s := extensionName
	if p.serverNoContextTakeover {
		s += "; server_no_context_takeover"
	}
	if p.clientNoContextTakeover {
		s += "; client_no_context_takeover"
	}
	if p.serverMaxWindowBits < maxWindowBits {
		s += "; server_max_window_bits=" + strconv.Itoa(p.serverMaxWindowBits)
	}
	return s
}

// ANCHOR_END: negotiate

// ANCHOR: offer

// offer is the Sec-WebSocket-Extensions value a Dialer sends. It says
// client_max_window_bits, "a server may limit my window", because we can
// honour any limit (Huffman-only output). Without context takeover it asks
// the server to compress every message afresh, as gorilla's client does.
func (c *Compression) offer() string {
	if c.ContextTakeover {
		return extensionName + "; client_max_window_bits"
	}
	return extensionName + "; server_no_context_takeover; client_no_context_takeover; " +
		"client_max_window_bits"
}

// acceptResponse checks the server's answer to our offer and returns what
// was agreed. §7.1 has the client fail the connection on an answer it
// cannot honour: an unknown parameter, one given twice, a value out of
// range, or a client_max_window_bits it did not offer (ours always offers
// it). A response with no
// extension means the server declined, which is no error.
func (c *Compression) acceptResponse(h http.Header) (
	p deflateParams, on bool, err error) {
	exts := parseExtensions(h)
	if len(exts) == 0 {
		return p, false, nil
	}
	if len(exts) > 1 || !strings.EqualFold(exts[0].name, extensionName) {
		chosen := strings.Join(headerValues(h, "Sec-WebSocket-Extensions"), ", ")
		return p, false, fmt.Errorf("websocket: server chose extensions %q; only %s "+
			"was offered", chosen, extensionName)
	}
	p = deflateParams{serverMaxWindowBits: maxWindowBits,
		clientMaxWindowBits: maxWindowBits}
	seen := map[string]bool{}
	for _, param := range exts[0].params {
		name := strings.ToLower(param.name)
		bad := func(why string) (deflateParams, bool, error) {
			return p, false, fmt.Errorf("websocket: server answered %s with %q: %s",
				extensionName, param.name, why)
		}
		if seen[name] {
			return bad("given twice")
		}
		seen[name] = true
		switch name {
		case "server_no_context_takeover", "client_no_context_takeover":
			if param.hasValue {
				return bad("this parameter has no value")
			}
			if name == "server_no_context_takeover" {
				p.serverNoContextTakeover = true
			} else {
				p.clientNoContextTakeover = true
			}
		case "server_max_window_bits":
			bits, ok := parseWindowBits(param.value)
			if !ok {
				return bad("the value must be 8 to 15")
			}
			p.serverMaxWindowBits = bits // our inflater reads any window
		case "client_max_window_bits":
			bits, ok := parseWindowBits(param.value)
			if !ok {
				return bad("the value must be 8 to 15")
			}
			p.clientMaxWindowBits = bits // honoured with Huffman-only output
		default:
			return bad("not a parameter of " + extensionName)
		}
	}
	// §7.1.1.1: a server that accepts an offer with server_no_context_takeover
	// MUST include it in the response.
	if !c.ContextTakeover && !p.serverNoContextTakeover {
		return p, false, fmt.Errorf("websocket: server accepted %s without "+
			"server_no_context_takeover, which was asked for", extensionName)
	}
	if !c.ContextTakeover {
		p.clientNoContextTakeover = true // we said we would not take over ours
	}
	return p, true, nil
}

// ANCHOR_END: offer
