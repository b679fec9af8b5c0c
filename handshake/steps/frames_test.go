package steps

import (
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// echoWait is how long TestEcho waits for each answer. A step that does
// not answer fails after it; one that does answers in microseconds.
const echoWait = 2 * time.Second

// ANCHOR: test-echo

// TestEcho: after the handshake, gorilla's client sends a text message, a
// binary one and a ping, then closes; each gets its answer, read with a
// deadline so that a server that never answers fails the test.
func TestEcho(t *testing.T) {
	forEachStep(t, "4-frames", func(t *testing.T, p *webtest.Process) {
		c, _, err := websocket.DefaultDialer.Dial(p.WS(), nil)
		require.NoError(t, err)
		defer c.Close()
		pong := make(chan string, 1)
		c.SetPongHandler(func(data string) error { pong <- data; return nil })

		for _, m := range []struct {
			kind      int
			send, get string
		}{
			{websocket.TextMessage, "Hello", "Received: Hello"},
			{websocket.BinaryMessage, "\x00\x01\x02", "\x00\x01\x02"},
		} {
			require.NoError(t, c.WriteMessage(m.kind, []byte(m.send)))
			require.NoError(t, c.SetReadDeadline(time.Now().Add(echoWait)))
			kind, got, err := c.ReadMessage()
			require.NoError(t, err, "no answer to %q", m.send)
			assert.Equal(t, m.kind, kind)
			assert.Equal(t, m.get, string(got))
		}

		deadline := time.Now().Add(echoWait)
		ping := []byte("are you there")
		require.NoError(t, c.WriteControl(websocket.PingMessage, ping, deadline))
		require.NoError(t, c.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), deadline))
		require.NoError(t, c.SetReadDeadline(deadline))
		_, _, err = c.ReadMessage() // handles the pong, then returns the close
		select {
		case got := <-pong: // the pong came before the close, as it was sent
			assert.Equal(t, "are you there", got)
		default:
			t.Error("no pong came before the close")
		}
		normal := websocket.IsCloseError(err, websocket.CloseNormalClosure)
		assert.True(t, normal, "got %v", err)
	})
}

// ANCHOR_END: test-echo
