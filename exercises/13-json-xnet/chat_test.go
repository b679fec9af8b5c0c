package chatjson

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/websocket"
)

// dial starts Serve behind a test server and returns a client connection
// whose reads give up after a second.
func dial(t *testing.T) *websocket.Conn {
	srv := httptest.NewServer(websocket.Server{Handler: Serve})
	t.Cleanup(srv.Close)
	ws, err := websocket.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), "", srv.URL)
	require.NoError(t, err)
	t.Cleanup(func() { ws.Close() })
	require.NoError(t, ws.SetReadDeadline(time.Now().Add(time.Second)))
	return ws
}

// exchange sends one text message and returns the reply's raw text.
func exchange(t *testing.T, ws *websocket.Conn, text string) string {
	t.Helper()
	require.NoError(t, websocket.Message.Send(ws, text))
	var reply string
	require.NoError(t, websocket.Message.Receive(ws, &reply), "the server must answer %s (did Serve return, closing the connection?)", text)
	return reply
}

// answer sends one text message and decodes the reply.
func answer(t *testing.T, ws *websocket.Conn, text string) Reply {
	t.Helper()
	raw := exchange(t, ws, text)
	var r Reply
	require.NoError(t, json.Unmarshal([]byte(raw), &r), "RFC 8259: the reply must be JSON; got %q", raw)
	return r
}

func TestAChatMessageComesBackNumbered(t *testing.T) {
	ws := dial(t)
	assert.Equal(t, Reply{Type: "chat", From: "ann", Text: "hi", Seq: 1}, answer(t, ws, `{"type":"chat","from":"ann","text":"hi"}`),
		"step 2: an accepted message comes back with seq 1")
	assert.Equal(t, Reply{Type: "chat", From: "bob", Text: "hello", Seq: 2}, answer(t, ws, `{"type":"chat","from":"bob","text":"hello"}`),
		"step 2: seq counts the accepted messages of the connection")
}

// TestTheReplyIsJSONWithTheRightNames: the client reads the names of the
// wire format, not Go's field names.
func TestTheReplyIsJSONWithTheRightNames(t *testing.T) {
	ws := dial(t)
	var fields map[string]any
	raw := exchange(t, ws, `{"type":"chat","from":"ann","text":"hi"}`)
	require.NoError(t, json.Unmarshal([]byte(raw), &fields), "RFC 8259: the reply must be JSON; got %q", raw)
	assert.Equal(t, map[string]any{"type": "chat", "from": "ann", "text": "hi", "seq": 1.0}, fields,
		"step 1: send the Reply with websocket.JSON, which uses its json tags")
}

func TestRefusals(t *testing.T) {
	cases := []struct {
		name, text, rule string
	}{
		{"not JSON", `hello`, "step 3: a message that is not JSON gets an error reply"},
		{"an unknown field", `{"type":"chat","from":"ann","text":"hi","admin":true}`, "step 3: a field the server does not know is refused, not ignored"},
		{"another type", `{"type":"join","from":"ann","text":"hi"}`, `step 3: the type must be "chat"`},
		{"no text", `{"type":"chat","from":"ann"}`, "step 3: a chat message has text"},
		{"two values in one message", `{"type":"chat","from":"ann","text":"a"}{"type":"chat","from":"ann","text":"b"}`, "step 3: one message is one JSON value"},
		{"a JSON array", `[1,2]`, "step 3: a message is a JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := dial(t)
			r := answer(t, ws, tc.text)
			assert.Equal(t, "error", r.Type, "%s; got %+v", tc.rule, r)
			assert.NotEmpty(t, r.Error, "an error reply says why")
			assert.Zero(t, r.Seq, "a refused message has no sequence number")
		})
	}
}

// TestABadMessageDoesNotEndTheConnection: after a refusal the next good
// message is answered, and numbered as the first accepted one.
func TestABadMessageDoesNotEndTheConnection(t *testing.T) {
	ws := dial(t)
	assert.Equal(t, "error", answer(t, ws, `not json`).Type)
	assert.Equal(t, "error", answer(t, ws, `{"type":"chat","text":"hi","colour":"red"}`).Type)
	assert.Equal(t, Reply{Type: "chat", From: "ann", Text: "still here", Seq: 1}, answer(t, ws, `{"type":"chat","from":"ann","text":"still here"}`),
		"step 4: a bad message is answered and the connection goes on; seq counts only accepted messages")
}
