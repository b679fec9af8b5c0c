package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ANCHOR: limits

const (
	// maxMessage is the largest WebSocket message read: 1 MiB. A bigger
	// one is refused with close 1009 (message too big, RFC 6455 §7.4.1)
	// before it is buffered: gorilla's SetReadLimit.
	maxMessage = 1 << 20

	// maxText is the most a say's text may hold, in UTF-8 bytes: 4 KiB. A
	// longer text gets an error and the connection stays open.
	maxText = 4 << 10

	// maxName is the most runes a name may have.
	maxName = 32

	// maxRoom is the most bytes a room name may have.
	maxRoom = 64

	// timeFormat is RFC 3339 with milliseconds, in UTC.
	timeFormat = "2006-01-02T15:04:05.000Z07:00"
)

// ANCHOR_END: limits

// ANCHOR: protocol

// request is every message a client may send, one JSON object per text
// message:
//
//	{"type":"join","room":"lobby","name":"ada"}
//	{"type":"join","room":"lobby","name":"ada","since":41}
//	{"type":"say","text":"hello"}
//
// since is the id of the last message the client has seen in the room; the
// server replays every later one before the live ones. It is a pointer so
// that "since":0 (replay the whole history the stream keeps) differs from
// no since at all (only what is said from now on).
type request struct {
	Type  string  `json:"type"`
	Room  string  `json:"room,omitempty"`
	Name  string  `json:"name,omitempty"`
	Text  string  `json:"text,omitempty"`
	Since *uint64 `json:"since,omitempty"`
}

// message is what the server sends for every message said in a room:
//
//	{"type":"message","id":42,"room":"lobby","from":"ada","text":"hello",
//	 "time":"2026-12-01T22:10:00.000Z"}
//
// id is the message's sequence number in the JetStream stream: it grows
// with every message in the room (not by one: the stream numbers the
// messages of all rooms), so it is the cursor for since.
type message struct {
	Type string `json:"type"` // "message"
	ID   uint64 `json:"id"`
	Room string `json:"room"`
	From string `json:"from"`
	Text string `json:"text"`
	Time string `json:"time"`
}

// presence lists who is in a room, on every process, sorted:
//
//	{"type":"presence","room":"lobby","names":["ada","grace"]}
type presence struct {
	Type  string   `json:"type"` // "presence"
	Room  string   `json:"room"`
	Names []string `json:"names"`
}

// errorReply answers a bad message; the connection stays open:
//
//	{"type":"error","text":"say before join: send {\"type\":\"join\",...} first"}
type errorReply struct {
	Type string `json:"type"` // "error"
	Text string `json:"text"`
}

// ANCHOR_END: protocol

// stored is what the stream keeps for one message: the room is its
// subject and the id its sequence, so neither is repeated here. Prev is
// the id of the room's message before this one (0 for the first): the
// stream checks it when the message is published (see bus.publish), so
// a reader that gets a message whose Prev is not the last id it saw
// knows that messages in between are gone.
type stored struct {
	From string `json:"from"`
	Text string `json:"text"`
	Time string `json:"time"`
	Prev uint64 `json:"prev"`
}

// ANCHOR: parse

// parse reads one client message and checks it against the protocol. The
// error is the text of the error reply: it says what was wrong and how to
// send it right.
func parse(data []byte) (request, error) {
	var req request
	if err := json.Unmarshal(data, &req); err != nil {
		return req, fmt.Errorf("not JSON: %v", err)
	}
	switch req.Type {
	case "join":
		if err := checkRoom(req.Room); err != nil {
			return req, err
		}
		name, err := checkName(req.Name)
		if err != nil {
			return req, err
		}
		req.Name = name
	case "say":
		switch {
		case len(req.Text) > maxText:
			return req, fmt.Errorf("text too long: %d bytes, the most is %d",
				len(req.Text), maxText)
		case strings.TrimSpace(req.Text) == "":
			return req, fmt.Errorf("empty text: say something")
		}
	case "":
		return req, fmt.Errorf(`no type: every message needs one, "join" or "say"`)
	default:
		return req, fmt.Errorf(`unknown type %q: the types are "join" and "say"`,
			req.Type)
	}
	return req, nil
}

// ANCHOR_END: parse

// checkRoom accepts a room name that can be one NATS subject token: 1 to
// 64 ASCII letters, digits, '-' and '_'. A '.' would add a token, '*' and
// '>' are wildcards, and a space ends the subject.
func checkRoom(room string) error {
	if room == "" || len(room) > maxRoom {
		return fmt.Errorf("bad room %q: a room is 1 to %d letters, digits, '-' or '_'", room, maxRoom)
	}
	for _, r := range room {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			return fmt.Errorf("bad room %q: a room is 1 to %d letters, digits, '-' or '_'", room, maxRoom)
		}
	}
	return nil
}

// checkName trims a name and accepts 1 to 32 runes without control
// characters.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxName {
		return "", fmt.Errorf("bad name %q: a name is 1 to %d characters", name, maxName)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", fmt.Errorf("bad name %q: no control characters", name)
		}
	}
	return name, nil
}

// now is the time stamp of a message said now.
func now() string { return time.Now().UTC().Format(timeFormat) }

// mustJSON encodes v, which is one of this file's types and cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
