package main

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"time"
)

// hijacker is the http.ResponseWriter that x/net's websocket.Server gets.
// x/net takes the connection with Hijack and builds its websocket.Conn on
// what Hijack returns; ours returns a wire (wire.go) in place of the bare
// TCP connection, and buffers that read and write through it. That is the
// only way under x/net: its Conn keeps the connection in unexported fields.
type hijacker struct {
	http.ResponseWriter
	pongWait, writeWait time.Duration
	wire                *wire // set by Hijack
}

// Hijack takes over the connection, as http.Hijacker asks, and wraps it.
func (h *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	// Frames the client sent right behind its handshake may already sit in
	// net/http's reader: they must reach x/net first, through the wire.
	buffered, _ := rw.Reader.Peek(rw.Reader.Buffered())
	h.wire = newWire(c, bytes.Clone(buffered), h.pongWait, h.writeWait)
	// net/http's buffers now read from and write to the wire: reused, not
	// doubled, for an idle connection's memory is mostly buffers.
	rw.Reader.Reset(h.wire)
	rw.Writer.Reset(h.wire)
	return h.wire, rw, nil
}
