package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"time"

	"github.com/websocket-in-go/workbook/handshake"
)

// message is what every round trip sends: 32 bytes.
var message = bytes.Repeat([]byte{'m'}, 32)

// client does round trips of one 32-byte message.
type client interface {
	roundTrip() error
	close()
}

// dial connects to t: a WebSocket handshake with the by-hand client for
// the WebSocket servers (the same client for all three), TCP for the raw
// echo.
func dial(t *target) (client, error) {
	if !t.ws {
		c, err := net.Dial("tcp", t.addr)
		if err != nil {
			return nil, err
		}
		return &tcpClient{conn: c, buf: make([]byte, len(message))}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := handshake.Dial(ctx, "ws://"+t.addr+"/ws", nil)
	if err != nil {
		return nil, err
	}
	return &wsClient{conn: c}, nil
}

type tcpClient struct {
	conn net.Conn
	buf  []byte
}

func (c *tcpClient) roundTrip() error {
	if _, err := c.conn.Write(message); err != nil {
		return err
	}
	_, err := io.ReadFull(c.conn, c.buf)
	return err
}

func (c *tcpClient) close() { c.conn.Close() }

type wsClient struct{ conn *handshake.Conn }

func (c *wsClient) roundTrip() error {
	if err := c.conn.WriteMessage(handshake.OpBinary, message); err != nil {
		return err
	}
	_, _, err := c.conn.ReadMessage()
	return err
}

func (c *wsClient) close() { c.conn.Close() }

// hostPort turns http://host:port into host:port.
func hostPort(url string) string { return strings.TrimPrefix(url, "http://") }
