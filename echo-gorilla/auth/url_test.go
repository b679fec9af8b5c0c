package auth

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// mustURL parses a URL the test made itself.
func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}
