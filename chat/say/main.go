// Command say is a command-line client of the chat of the chapter "Past
// one machine": it joins a room, says its arguments, and prints every
// message the server sends, as the JSON that crossed the wire. Like the
// chat page, it first gets a session (GET /) and a single-use ticket (POST
// /ticket), and opens the socket with it (chat/login).
//
//	go run ./chat/say -name ada hello world     # says two, exits when both came back
//	go run ./chat/say -name bob -listen         # prints the room until Ctrl-C
//	go run ./chat/say -name bob -since 7 -listen   # first everything after id 7
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/chat/login"
)

func main() {
	ws := flag.String("ws", "ws://localhost:8080/ws", "the chat socket")
	room := flag.String("room", "lobby", "the room to join")
	name := flag.String("name", "guest", "your name in the room")
	since := flag.Int64("since", -1, "resume: the id of the last message you saw (-1: none)")
	listen := flag.Bool("listen", false, "print the room until Ctrl-C, instead of exiting once your messages came back")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := say(ctx, *ws, *room, *name, *since, *listen, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "say:", err)
		os.Exit(1)
	}
}

func say(ctx context.Context, ws, room, name string, since int64, listen bool, texts []string) error {
	conn, _, err := login.Dial(ctx, nil, ws, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	go func() { // Ctrl-C: say goodbye, which ends the read below
		<-ctx.Done()
		bye := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		_ = conn.WriteControl(websocket.CloseMessage, bye, time.Now().Add(time.Second))
	}()
	join := map[string]any{"type": "join", "room": room, "name": name}
	if since >= 0 {
		join["since"] = since
	}
	send := []any{join}
	for _, t := range texts {
		send = append(send, map[string]string{"type": "say", "text": t})
	}
	for _, m := range send {
		data, _ := json.Marshal(m)
		fmt.Printf("> %s\n", data)
		if err := conn.WriteMessage(websocket.TextMessage, data); err != nil {
			return err
		}
	}
	mine := 0 // our own messages seen back
	for listen || mine < len(texts) {
		_, data, err := conn.ReadMessage()
		if err != nil {
			if ctx.Err() != nil || websocket.IsCloseError(err, websocket.CloseNormalClosure) {
				return nil
			}
			return err
		}
		fmt.Printf("< %s\n", data)
		var m struct{ Type, From string }
		if json.Unmarshal(data, &m) == nil && m.Type == "message" && m.From == name {
			mine++
		}
	}
	return nil
}
