package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/websocket-in-go/workbook/handshake"
	"golang.org/x/sys/unix"
)

// dialTimeout bounds one connection's TCP connect, handshake and first echo.
const dialTimeout = 5 * time.Second

// ANCHOR: open

// open dials target from the local address source, upgrades to WebSocket
// on /echo, sends one masked binary message and reads its echo: the
// connection is then known to be accepted and registered by the server.
// It returns the connection and how long the upgrade and the echo took.
func open(source, target string) (net.Conn, time.Duration, time.Duration, error) {
	start := time.Now()
	d := net.Dialer{Timeout: dialTimeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}, Control: noPortAtBind}
	conn, err := d.Dial("tcp4", target)
	if err != nil {
		return nil, 0, 0, err
	}
	conn.SetDeadline(start.Add(dialTimeout))
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])
	req := "GET /echo HTTP/1.1\r\nHost: " + target + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, 0, 0, err
	}
	var buf [512]byte
	n := 0
	for !bytes.Contains(buf[:n], []byte("\r\n\r\n")) {
		if n == len(buf) {
			conn.Close()
			return nil, 0, 0, errors.New("response head over 512 bytes")
		}
		m, err := conn.Read(buf[n:])
		if err != nil {
			conn.Close()
			return nil, 0, 0, fmt.Errorf("waiting for 101: %w", err)
		}
		n += m
	}
	if !bytes.HasPrefix(buf[:n], []byte("HTTP/1.1 101 ")) || !bytes.Contains(buf[:n], []byte(handshake.AcceptKey(key))) {
		conn.Close()
		return nil, 0, 0, fmt.Errorf("not upgraded: %q", strings.SplitN(string(buf[:n]), "\r\n", 2)[0])
	}
	upgraded := time.Now()
	payload := []byte("are you there?")
	frame := handshake.AppendFrameHeader(nil, handshake.FrameHeader{Fin: true, Opcode: handshake.OpBinary, Masked: true, Length: uint64(len(payload)), Key: [4]byte{1, 2, 3, 4}})
	body := append([]byte(nil), payload...)
	handshake.ApplyMask([4]byte{1, 2, 3, 4}, 0, body)
	if _, err := conn.Write(append(frame, body...)); err != nil {
		conn.Close()
		return nil, 0, 0, err
	}
	echo := make([]byte, 2+len(payload))
	if _, err := io.ReadFull(conn, echo); err != nil || !bytes.Equal(echo[2:], payload) {
		conn.Close()
		return nil, 0, 0, fmt.Errorf("no echo: %v %q", err, echo)
	}
	conn.SetDeadline(time.Time{})
	return conn, upgraded.Sub(start), time.Since(upgraded), nil
}

// ANCHOR_END: open

// ANCHOR: no-port

// noPortAtBind sets IP_BIND_ADDRESS_NO_PORT on a socket that binds a
// source address before it connects. Without it, bind picks the port
// alone, as if any destination could come: a free port not bound at all
// on that address, searched for in a lock-held scan that slows down as the
// ports fill (10,000 connections took 50 s here). With it, the port is
// picked at connect, where only the whole four-tuple must be unique.
func noPortAtBind(_, _ string, rc syscall.RawConn) error {
	var err error
	if cerr := rc.Control(func(fd uintptr) {
		err = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP,
			unix.IP_BIND_ADDRESS_NO_PORT, 1)
	}); cerr != nil {
		return cerr
	}
	return err
}

// ANCHOR_END: no-port

// clientMain is a client process: it reads commands on stdin, "dial N"
// (open N more connections and hold them, answering "ok TOTAL" or "err
// TOTAL why"), and exits, closing everything, when stdin ends.
func clientMain(source, target string) {
	var held []net.Conn
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		n, err := strconv.Atoi(strings.TrimPrefix(in.Text(), "dial "))
		if err != nil {
			fmt.Println("err 0 bad command", strconv.Quote(in.Text()))
			continue
		}
		conns, err := dialMany(source, target, n)
		held = append(held, conns...)
		if err != nil {
			fmt.Printf("err %d %s\n", len(held), strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		fmt.Printf("ok %d\n", len(held))
	}
	for _, c := range held {
		c.Close()
	}
}

// dialMany opens n connections, 32 at a time, and stops at the first error.
func dialMany(source, target string, n int) ([]net.Conn, error) {
	var (
		mu    sync.Mutex
		conns []net.Conn
		first error
		wg    sync.WaitGroup
		next  = make(chan struct{})
	)
	for range 32 {
		wg.Go(func() {
			for range next {
				c, _, _, err := open(source, target)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				if c != nil {
					conns = append(conns, c)
				}
				mu.Unlock()
			}
		})
	}
	for range n {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			break
		}
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	return conns, first
}
