package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/websocket-in-go/workbook/handshake"
)

// message is what a latency round trip sends: 32 bytes.
var message = bytes.Repeat([]byte{'m'}, 32)

// bulkMessage is what a throughput round trip of big messages sends: 64 KiB.
var bulkMessage = bytes.Repeat([]byte{'b'}, 64<<10)

// client does round trips: it sends one binary message and reads its echo.
type client interface {
	roundTrip(msg []byte) error
	close()
}

// dial connects to t: a WebSocket handshake with the by-hand client for
// the WebSocket servers (the same client for every one), TCP for the raw
// echo.
func dial(t *target) (client, error) {
	if !t.ws {
		c, err := net.Dial("tcp", t.addr)
		if err != nil {
			return nil, err
		}
		return &tcpClient{conn: c, buf: make([]byte, len(bulkMessage))}, nil
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

func (c *tcpClient) roundTrip(msg []byte) error {
	if _, err := c.conn.Write(msg); err != nil {
		return err
	}
	if _, err := io.ReadFull(c.conn, c.buf[:len(msg)]); err != nil {
		return err
	}
	if !bytes.Equal(c.buf[:len(msg)], msg) { // as the WebSocket client checks
		return fmt.Errorf("the echo of %d bytes was not the same", len(msg))
	}
	return nil
}

func (c *tcpClient) close() { c.conn.Close() }

type wsClient struct{ conn *handshake.Conn }

func (c *wsClient) roundTrip(msg []byte) error {
	if err := c.conn.WriteMessage(handshake.OpBinary, msg); err != nil {
		return err
	}
	op, got, err := c.conn.ReadMessage()
	switch {
	case err != nil:
		return err
	case op != handshake.OpBinary || !bytes.Equal(got, msg):
		return fmt.Errorf("the echo of %d binary bytes was %d bytes of opcode %#x, not the same", len(msg), len(got), op)
	}
	return nil
}

func (c *wsClient) close() { c.conn.Close() }

// hostPort turns http://host:port into host:port.
func hostPort(url string) string { return strings.TrimPrefix(url, "http://") }
