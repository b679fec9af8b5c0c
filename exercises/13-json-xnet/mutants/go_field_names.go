//go:build mutant && mutant_go_field_names

// Mistake: the reply is a struct without json tags, so the client reads Type, From, Text and Seq.

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
		reply := Reply{Type: "error"}
		if err != nil {
			reply.Error = err.Error()
		} else {
			seq++
			reply = Reply{Type: "chat", From: m.From, Text: m.Text, Seq: seq}
		}
		type untagged struct {
			Type, From, Text string
			Seq              int
			Error            string `json:",omitempty"`
		}
		if websocket.JSON.Send(ws, untagged(reply)) != nil {
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
