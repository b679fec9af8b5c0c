package main

import (
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadMessagesGetTheirError: every malformed message gets an error
// that says what was wrong, and the connection stays open: the client
// then joins and says something, and hears it back.
func TestBadMessagesGetTheirError(t *testing.T) {
	s := startChat(t, startNATS(t))
	cases := []struct {
		name string
		send string
		want string // in the error's text
	}{
		{"not JSON", `hello`, "not JSON"},
		{"JSON but not an object", `[1,2]`, "not JSON"},
		{"no type", `{"room":"lobby"}`, "no type"},
		{"unknown type", `{"type":"shout","text":"hi"}`, `unknown type "shout"`},
		{"say before join", `{"type":"say","text":"hi"}`, "say before join"},
		{"join without a room", `{"type":"join","name":"ada"}`, "bad room"},
		{"a room that is a subject wildcard", `{"type":"join","room":"lobby.>","name":"ada"}`, "bad room"},
		{"a room with a space", `{"type":"join","room":"a b","name":"ada"}`, "bad room"},
		{"join without a name", `{"type":"join","room":"lobby"}`, "bad name"},
		{"a name of 33 characters", `{"type":"join","room":"lobby","name":"` + strings.Repeat("é", 33) + `"}`, "bad name"},
		{"a name with a control character", `{"type":"join","room":"lobby","name":"a\u0007b"}`, "control"},
		{"since that is not a number", `{"type":"join","room":"lobby","name":"ada","since":"x"}`, "not JSON"},
	}
	c := dial(t, s.WS())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, c.conn.WriteMessage(websocket.TextMessage, []byte(tc.send)))
			got := c.next()
			assert.Equal(t, "error", got.Type)
			assert.Contains(t, got.Text, tc.want)
		})
	}

	// The same connection, still open, works once it follows the protocol.
	c.join("lobby", "ada", nil)
	c.waitPresence("ada")
	joined := []struct {
		name string
		send string
		want string
	}{
		{"text over 4 KiB", `{"type":"say","text":"` + strings.Repeat("x", maxText+1) + `"}`, "text too long: 4097 bytes, the most is 4096"},
		{"empty text", `{"type":"say","text":"  "}`, "empty text"},
		{"a second join", `{"type":"join","room":"other","name":"ada"}`, `already in room "lobby"`},
		{"a 1 MiB message (not over the limit)", `{"type":"say","text":"` + strings.Repeat("y", maxMessage-25) + `"}`, "text too long"},
	}
	for _, tc := range joined {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, c.conn.WriteMessage(websocket.TextMessage, []byte(tc.send)))
			got := c.nextOf("error")
			assert.Contains(t, got.Text, tc.want)
		})
	}
	c.say(strings.Repeat("z", maxText)) // exactly 4 KiB is fine
	assert.Len(t, c.nextOf("message").Text, maxText)
}

// TestProtocolViolationsClose: what breaks the WebSocket protocol, rather
// than the chat's, ends the connection with the close code RFC 6455
// §7.4.1 gives it.
func TestProtocolViolationsClose(t *testing.T) {
	s := startChat(t, startNATS(t))
	cases := []struct {
		name string
		kind int
		data []byte
		code int
	}{
		{"1 MiB + 1", websocket.TextMessage, []byte(strings.Repeat("a", maxMessage+1)), websocket.CloseMessageTooBig},
		{"a binary message", websocket.BinaryMessage, []byte(`{"type":"say"}`), websocket.CloseUnsupportedData},
		{"text that is not UTF-8", websocket.TextMessage, []byte{'"', 0xff, '"'}, websocket.CloseInvalidFramePayloadData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, s.WS())
			require.NoError(t, c.conn.WriteMessage(tc.kind, tc.data))
			assert.Equal(t, tc.code, c.closeCode())
		})
	}
}
