package login

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBase: the HTTP base of a chat socket's URL, where / and /ticket are.
func TestBase(t *testing.T) {
	cases := []struct {
		ws, base string
	}{
		{"ws://127.0.0.1:8080/ws", "http://127.0.0.1:8080"},
		{"wss://chat.example/ws", "https://chat.example"},
		{"wss://example.com/chat/ws", "https://example.com/chat"},
		{"ws://localhost:8080/ws?ticket=old", "http://localhost:8080"},
	}
	for _, tc := range cases {
		t.Run(tc.ws, func(t *testing.T) {
			got, err := Base(tc.ws)
			require.NoError(t, err)
			assert.Equal(t, tc.base, got)
		})
	}
	_, err := Base("http://localhost:8080/ws")
	assert.ErrorContains(t, err, "not a ws:// or wss:// URL")
}

// TestWithTicket: the ticket is added to the query, escaped.
func TestWithTicket(t *testing.T) {
	assert.Equal(t, "ws://h/ws?ticket=a-b_c", WithTicket("ws://h/ws", "a-b_c"))
	assert.Equal(t, "ws://h/ws?x=1&ticket=a%2Bb", WithTicket("ws://h/ws?x=1", "a+b"))
}
