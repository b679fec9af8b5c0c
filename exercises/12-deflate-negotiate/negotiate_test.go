package deflate

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNegotiate(t *testing.T) {
	cases := []struct {
		name   string
		offers []string // the request's Sec-WebSocket-Extensions lines
		want   string   // the response's; "" for no extension
		rule   string
	}{
		{"a bare offer", []string{"permessage-deflate"}, "permessage-deflate",
			"RFC 7692 §5: accept an offer by answering with its name"},
		{"Chrome's offer", []string{"permessage-deflate; client_max_window_bits"}, "permessage-deflate",
			"RFC 7692 §7.1.2.2: client_max_window_bits without a value only says the client supports it; the answer may leave it out (and must not echo it without a value)"},
		{"context takeover off, both ways", []string{"permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
			"permessage-deflate; server_no_context_takeover; client_no_context_takeover",
			"RFC 7692 §7.1.1: agree to the no_context_takeover the client asks for"},
		{"window sizes", []string{"permessage-deflate; server_max_window_bits=10; client_max_window_bits=12"},
			"permessage-deflate; server_max_window_bits=10; client_max_window_bits=12",
			"RFC 7692 §7.1.2: answer with the window sizes asked for"},
		{"a quoted value", []string{`permessage-deflate; server_max_window_bits="10"`}, "permessage-deflate; server_max_window_bits=10",
			"RFC 6455 §9.1: a parameter value may be a quoted string"},
		{"spaces around everything", []string{"  permessage-deflate ;  server_no_context_takeover  "}, "permessage-deflate; server_no_context_takeover",
			"RFC 6455 §9.1: whitespace around tokens is allowed"},
		{"another extension first", []string{"x-webkit-deflate-frame, permessage-deflate"}, "permessage-deflate",
			"RFC 6455 §9.1: offers are a comma-separated list; answer the one you support"},
		{"an offer on a second header line", []string{"x-custom", "permessage-deflate; client_no_context_takeover"}, "permessage-deflate; client_no_context_takeover",
			"RFC 6455 §9.1: the header may appear more than once; its lines form one list"},
		{"the first offer unsupported, the second fine", []string{"permessage-deflate; server_max_window_bits=7, permessage-deflate"}, "permessage-deflate",
			"RFC 7692 §5.1: decline an offer you cannot accept by ignoring it, and go on to the next"},
		{"an unknown parameter", []string{"permessage-deflate; mystery"}, "",
			"RFC 7692 §7.1: an offer with a parameter the server does not know must be declined"},
		{"a parameter twice", []string{"permessage-deflate; server_no_context_takeover; server_no_context_takeover"}, "",
			"RFC 7692 §7.1: an offer with a parameter given twice must be declined"},
		{"server_max_window_bits 7", []string{"permessage-deflate; server_max_window_bits=7"}, "",
			"RFC 7692 §7.1.2.1: the window is 8 to 15 bits"},
		{"server_max_window_bits 16", []string{"permessage-deflate; server_max_window_bits=16"}, "",
			"RFC 7692 §7.1.2.1: the window is 8 to 15 bits"},
		{"server_max_window_bits with a leading zero", []string{"permessage-deflate; server_max_window_bits=09"}, "",
			"RFC 7692 §7.1.2.1: a decimal integer without leading zeros"},
		{"server_max_window_bits without a value", []string{"permessage-deflate; server_max_window_bits"}, "",
			"RFC 7692 §7.1.2.1: server_max_window_bits must have a value"},
		{"client_max_window_bits 20", []string{"permessage-deflate; client_max_window_bits=20"}, "",
			"RFC 7692 §7.1.2.2: the window is 8 to 15 bits"},
		{"no_context_takeover with a value", []string{"permessage-deflate; client_no_context_takeover=1"}, "",
			"RFC 7692 §7.1.1: the no_context_takeover parameters have no value"},
		{"no offer at all", nil, "", "RFC 7692 §5: without an offer there is nothing to accept"},
		{"only other extensions", []string{"x-webkit-deflate-frame"}, "", "RFC 6455 §9.1: never answer an extension you do not support"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for _, o := range tc.offers {
				h.Add("Sec-WebSocket-Extensions", o)
			}
			got, ok := Negotiate(h)
			assert.Equal(t, tc.want, got, "%s (offer %q)", tc.rule, tc.offers)
			assert.Equal(t, tc.want != "", ok, "ok reports whether an offer was accepted")
		})
	}
}
