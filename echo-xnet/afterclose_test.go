package main

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestNothingAfterClose: RFC 6455 §5.5.1 allows no data frame after the
// close frame; the wire lets out nothing at all. Each case makes the server
// send its close, then gives it reasons to write more (a message to echo, a
// ping to answer), then answers the close; the client reads every frame
// until the server hangs up. x/net used to echo the message and answer the
// ping after its close frame.
func TestNothingAfterClose(t *testing.T) {
	text := func(s string) []byte { return webtest.ClientFrame(websocket.TextMessage, []byte(s)) }
	ping := webtest.ClientFrame(websocket.PingMessage, []byte("still there?"))
	cases := []struct {
		name string
		code int
		// provoke makes the server send its close frame.
		provoke func(t *testing.T, c *webtest.RawConn, goodbye func())
	}{
		{"after the shutdown goodbye", closeGoingAway, func(t *testing.T, c *webtest.RawConn, goodbye func()) {
			c.Send(t, text("one"))
			op, got, err := c.ReadFrame()
			require.NoError(t, err)
			require.Equal(t, byte(websocket.TextMessage), op)
			require.Equal(t, "Received: one", string(got))
			goodbye()
		}},
		{"after failing on invalid UTF-8", closeInvalidData, func(t *testing.T, c *webtest.RawConn, _ func()) {
			c.Send(t, text("\xff"))
		}},
		{"after failing on a reserved opcode", closeProtocolError, func(t *testing.T, c *webtest.RawConn, _ func()) {
			c.Send(t, webtest.ClientFrame(3, nil))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := webtest.NewRecorder()
			c := webtest.DialRaw(t, startEcho(t, &echoServer{prefix: prefix, tracker: rec}))
			rec.WaitTracked(t)
			tc.provoke(t, c, rec.Goodbye(0))

			c.SetReadDeadline(time.Now().Add(testBound))
			op, body, err := c.ReadFrame()
			require.NoError(t, err)
			require.Equal(t, byte(websocket.CloseMessage), op, "the server's close frame")
			require.GreaterOrEqual(t, len(body), 2)
			assert.Equal(t, tc.code, int(binary.BigEndian.Uint16(body)))

			// Reasons to write after the close, then our answer to it.
			c.Send(t, text("two"), ping, webtest.ClientFrame(websocket.CloseMessage, body[:2]))
			for {
				op, body, err := c.ReadFrame()
				if err != nil {
					break // the server hung up: good
				}
				t.Errorf("after its close frame the server sent opcode %d: %q", op, body)
			}
			rec.WaitDone(t, 0, testBound)
		})
	}
}
