package main

import (
	"encoding/binary"

	"golang.org/x/net/websocket"
)

// ANCHOR: codec

// message is one frame's payload together with its type, as x/net sees it:
// websocket.TextFrame (1) or websocket.BinaryFrame (2).
type message struct {
	payloadType byte
	data        []byte
}

// typed is a websocket.Codec that keeps the payload type, so a binary
// message is echoed as binary. The ready-made codecs lose it: Message
// receiving into a string turns binary into text, and io.Copy on the Conn
// writes every frame with the Conn's one PayloadType.
var typed = websocket.Codec{
	Marshal: func(v any) ([]byte, byte, error) {
		m, ok := v.(message)
		if !ok {
			return nil, websocket.UnknownFrame, websocket.ErrNotSupported
		}
		return m.data, m.payloadType, nil
	},
	Unmarshal: func(data []byte, payloadType byte, v any) error {
		m, ok := v.(*message)
		if !ok {
			return websocket.ErrNotSupported
		}
		m.payloadType, m.data = payloadType, data
		return nil
	},
}

// ANCHOR_END: codec

// ANCHOR: close

// closeFrame is a close frame's body: a status code and a reason
// (RFC 6455 §5.5.1).
type closeFrame struct {
	code   int
	reason string
}

// closing is a Codec that sends close frames. x/net has no API for a close
// code: Conn.Close always sends 1000 (normal closure). But Codec.Send writes
// whatever frame type Marshal returns, under the Conn's write lock, so a
// Marshal that returns websocket.CloseFrame (opcode 8) sends any code we like.
var closing = websocket.Codec{
	Marshal: func(v any) ([]byte, byte, error) {
		c, ok := v.(closeFrame)
		if !ok {
			return nil, websocket.UnknownFrame, websocket.ErrNotSupported
		}
		body := binary.BigEndian.AppendUint16(nil, uint16(c.code))
		return append(body, c.reason...), websocket.CloseFrame, nil
	},
}

// ANCHOR_END: close
