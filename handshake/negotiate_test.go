package handshake

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNegotiateServer: every kind of offer (RFC 7692 §7.1), and the
// Sec-WebSocket-Extensions the server answers with; "" means it declined,
// and the 101 names no extension.
func TestNegotiateServer(t *testing.T) {
	takeover := &Compression{ContextTakeover: true}
	fresh := &Compression{}
	cases := []struct {
		name   string
		cfg    *Compression
		offers []string // header lines
		want   string
	}{
		{"compression off declines everything", nil, []string{"permessage-deflate"}, ""},
		{"no offer", takeover, nil, ""},
		{"another extension only", takeover, []string{"x-webkit-deflate-frame"}, ""},

		// Context takeover on our side: we agree to what the client asks.
		{"the plain offer", takeover, []string{"permessage-deflate"}, "permessage-deflate"},
		{"the name in another case", takeover, []string{"Permessage-Deflate"}, "permessage-deflate"},
		{"server_no_context_takeover must be echoed", takeover, []string{"permessage-deflate; server_no_context_takeover"}, "permessage-deflate; server_no_context_takeover"},
		{"client_no_context_takeover hint is taken", takeover, []string{"permessage-deflate; client_no_context_takeover"}, "permessage-deflate; client_no_context_takeover"},
		{"a browser's offer", takeover, []string{"permessage-deflate; client_max_window_bits"}, "permessage-deflate"},
		{"client_max_window_bits with a value", takeover, []string{"permessage-deflate; client_max_window_bits=10"}, "permessage-deflate"},
		{"server_max_window_bits=15", takeover, []string{"permessage-deflate; server_max_window_bits=15"}, "permessage-deflate"},
		{"server_max_window_bits=9: Huffman only", takeover, []string{"permessage-deflate; server_max_window_bits=9"}, "permessage-deflate; server_max_window_bits=9"},
		{"server_max_window_bits=8", takeover, []string{"permessage-deflate; server_max_window_bits=8"}, "permessage-deflate; server_max_window_bits=8"},
		{"a quoted value", takeover, []string{`permessage-deflate; server_max_window_bits="10"`}, "permessage-deflate; server_max_window_bits=10"},
		{"Autobahn 13.5's offer", takeover, []string{"permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9"},
			"permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9"},

		// Offers we must decline (§7.1), and the next one in the list.
		{"unknown parameter", takeover, []string{"permessage-deflate; foo=1"}, ""},
		{"a parameter twice", takeover, []string{"permessage-deflate; server_no_context_takeover; server_no_context_takeover"}, ""},
		{"server_no_context_takeover with a value", takeover, []string{"permessage-deflate; server_no_context_takeover=1"}, ""},
		{"server_max_window_bits without a value", takeover, []string{"permessage-deflate; server_max_window_bits"}, ""},
		{"server_max_window_bits=7", takeover, []string{"permessage-deflate; server_max_window_bits=7"}, ""},
		{"server_max_window_bits=16", takeover, []string{"permessage-deflate; server_max_window_bits=16"}, ""},
		{"server_max_window_bits=09", takeover, []string{"permessage-deflate; server_max_window_bits=09"}, ""},
		{"client_max_window_bits=abc", takeover, []string{"permessage-deflate; client_max_window_bits=abc"}, ""},
		{"a bad offer, then a good one", takeover, []string{"permessage-deflate; foo, permessage-deflate; client_no_context_takeover"}, "permessage-deflate; client_no_context_takeover"},
		{"offers on two header lines", takeover, []string{"x-unknown", "permessage-deflate; server_max_window_bits=20", "permessage-deflate"}, "permessage-deflate"},

		// No context takeover on our side: both parameters, always.
		{"no context takeover: the plain offer", fresh, []string{"permessage-deflate"}, "permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
		{"no context takeover: a small window", fresh, []string{"permessage-deflate; server_max_window_bits=10"}, "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, o := range tc.offers {
				r.Header.Add("Sec-WebSocket-Extensions", o)
			}
			_, got, ok := negotiateServer(r, tc.cfg)
			assert.Equal(t, tc.want != "", ok, "accepted")
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestDialerChecksTheAnswer: what a Dialer that offered permessage-deflate
// accepts in the 101, and what fails the connection (§7.1: a parameter it
// did not offer, or a value it cannot honour).
func TestDialerChecksTheAnswer(t *testing.T) {
	cases := []struct {
		name     string
		cfg      Compression
		answer   string
		wantErr  string // "" for success
		deflates bool
	}{
		{"declined", Compression{ContextTakeover: true}, "", "", false},
		{"accepted", Compression{ContextTakeover: true}, "permessage-deflate", "", true},
		{"server_no_context_takeover", Compression{ContextTakeover: true}, "permessage-deflate; server_no_context_takeover", "", true},
		{"client_no_context_takeover", Compression{ContextTakeover: true}, "permessage-deflate; client_no_context_takeover", "", true},
		{"server_max_window_bits=10", Compression{ContextTakeover: true}, "permessage-deflate; server_max_window_bits=10", "", true},
		{"client_max_window_bits=9 (we offered it)", Compression{ContextTakeover: true}, "permessage-deflate; client_max_window_bits=9", "", true},
		{"gorilla's answer", Compression{}, "permessage-deflate; server_no_context_takeover; client_no_context_takeover", "", true},
		{"no server_no_context_takeover although asked", Compression{}, "permessage-deflate", "without server_no_context_takeover", false},
		{"client_max_window_bits without a value", Compression{ContextTakeover: true}, "permessage-deflate; client_max_window_bits", "8 to 15", false},
		{"server_max_window_bits=16", Compression{ContextTakeover: true}, "permessage-deflate; server_max_window_bits=16", "8 to 15", false},
		{"an unknown parameter", Compression{ContextTakeover: true}, "permessage-deflate; foo", "not a parameter", false},
		{"a parameter twice", Compression{ContextTakeover: true}, "permessage-deflate; client_no_context_takeover; client_no_context_takeover", "twice", false},
		{"a value where none belongs", Compression{ContextTakeover: true}, "permessage-deflate; server_no_context_takeover=yes", "no value", false},
		{"an extension never offered", Compression{ContextTakeover: true}, "x-webkit-deflate-frame", "only permessage-deflate", false},
		{"two extensions", Compression{ContextTakeover: true}, "permessage-deflate, permessage-deflate", "only permessage-deflate", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			extra := ""
			if tc.answer != "" {
				extra = "Sec-WebSocket-Extensions: " + tc.answer + "\r\n"
			}
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			c, _, err := (&Dialer{Compression: &tc.cfg}).Dial(ctx, fakeServer(t, extra))
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			defer c.Close()
			assert.Equal(t, tc.deflates, c.deflate != nil, "compression on")
		})
	}
}

// TestDialerOffers: the request carries the offer, and the Dialer still
// refuses a caller's own Sec-WebSocket-Extensions (it writes that header).
func TestDialerOffers(t *testing.T) {
	offers := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offers <- r.Header.Get("Sec-WebSocket-Extensions")
		echo(w, r)
	}))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()

	for _, tc := range []struct {
		cfg  *Compression
		want string
	}{
		{&Compression{ContextTakeover: true}, "permessage-deflate; client_max_window_bits"},
		{&Compression{}, "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits"},
	} {
		c, _, err := (&Dialer{Compression: tc.cfg}).Dial(ctx, url)
		require.NoError(t, err)
		c.Close()
		assert.Equal(t, tc.want, <-offers)
	}
	_, _, err := (&Dialer{Header: http.Header{"Sec-WebSocket-Extensions": {"permessage-deflate"}}}).Dial(ctx, url)
	assert.ErrorContains(t, err, "itself")
}
