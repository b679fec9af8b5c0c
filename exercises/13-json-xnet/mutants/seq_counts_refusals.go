//go:build mutant && mutant_seq_counts_refusals

// Mistake: seq counts every message, refused ones too.

package chatjson

import (
	"bytes"
	"encoding/json"
	"errors"

	"golang.org/x/net/websocket"
)

// Serve answers every message of one connection until the peer goes: an
// accepted chat message comes back with its sequence number, anything else
// with an error reply, and the connection stays open either way.
func Serve(ws *websocket.Conn) {
	seq := 0
	for {
		var data []byte
		if err := websocket.Message.Receive(ws, &data); err != nil {
			return // the peer closed, or the connection broke
		}
		m, err := decode(data)
		seq++
		reply := Reply{Type: "error"}
		if err != nil {
			reply.Error = err.Error()
		} else {
			reply = Reply{Type: "chat", From: m.From, Text: m.Text, Seq: seq}
		}
		if websocket.JSON.Send(ws, reply) != nil {
			return
		}
	}
}

// decode reads one chat message strictly: JSON, no field it does not know,
// the type "chat" and some text.
func decode(data []byte) (Message, error) {
	var m Message
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&m); err != nil {
		return Message{}, err
	}
	if d.More() {
		return Message{}, errors.New("more than one JSON value in a message")
	}
	switch {
	case m.Type != "chat":
		return Message{}, errors.New(`type must be "chat"`)
	case m.Text == "":
		return Message{}, errors.New("no text")
	}
	return m, nil
}
