//go:build !solution && !mutant

package chatjson

import "golang.org/x/net/websocket"

// Serve answers every message of one connection until the peer goes: an
// accepted chat message comes back with its sequence number, anything else
// with an error reply, and the connection stays open either way.
func Serve(ws *websocket.Conn) {
	// TODO
}
