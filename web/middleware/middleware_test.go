package middleware

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryVariantLogsPlainRequests: the three middlewares are the same
// access log for a request that is not a WebSocket.
func TestEveryVariantLogsPlainRequests(t *testing.T) {
	for _, v := range Variants {
		t.Run(v.Name, func(t *testing.T) {
			var log bytes.Buffer
			h := v.Wrap(&log, http.NotFoundHandler())
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/missing", nil))
			assert.Equal(t, "GET /missing 404\n", log.String())
		})
	}
}

// TestWhatEachVariantLetsThrough: what a handler behind each wrapper can
// reach of the writer underneath, by the two ways libraries ask: a type
// assertion, and http.ResponseController.
func TestWhatEachVariantLetsThrough(t *testing.T) {
	cases := []struct {
		variant         string
		asserted, viaRC bool // w.(http.Hijacker) works; ResponseController finds a Hijack
	}{
		{"naive", false, false},
		{"unwrap only", false, true},
		{"unwrap and hijack", true, true},
	}
	for i, tc := range cases {
		t.Run(tc.variant, func(t *testing.T) {
			require.Equal(t, tc.variant, Variants[i].Name)
			var asserted, viaRC bool
			h := Variants[i].Wrap(&bytes.Buffer{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, asserted = w.(http.Hijacker)
				_, _, err := http.NewResponseController(w).Hijack()
				// errHijacked comes from the writer underneath: the
				// controller reached it (else: http.ErrNotSupported).
				viaRC = errors.Is(err, errHijacked)
			}))
			h.ServeHTTP(&hijackable{httptest.NewRecorder()}, httptest.NewRequest("GET", "/ws", nil))
			assert.Equal(t, tc.asserted, asserted, "w.(http.Hijacker)")
			assert.Equal(t, tc.viaRC, viaRC, "http.NewResponseController(w).Hijack()")
		})
	}
}

// hijackable is a ResponseRecorder that pretends to be a Hijacker, as
// net/http's writer is.
type hijackable struct{ *httptest.ResponseRecorder }

func (hijackable) Hijack() (c net.Conn, rw *bufio.ReadWriter, err error) {
	return nil, nil, errHijacked
}

var errHijacked = errors.New("hijacked (a test's pretend)")
