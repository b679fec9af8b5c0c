// Command gobwas is the workbook's echo server on github.com/gobwas/ws
// v1.5.0 and its low-level API (chapter "Which library should I pick?"),
// on the contract of package contract. No net/http: ws.Upgrader reads the
// handshake straight from the TCP connection, then wsutil.Reader reads the
// frames (answering pings and closes) into a buffer the connection owns,
// and the echo goes out as one frame in one write.
//
//	go run ./gobwas -addr 127.0.0.1:0
package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/websocket-in-go/workbook/handshake/perf/peers/contract"
)

func main() {
	ln, err := contract.Listen(contract.Addr("gobwas"))
	if err != nil {
		contract.Fatal("gobwas", err)
	}
	go func() {
		<-contract.Stopped()
		_ = ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return // closed on SIGTERM
		}
		go serve(conn)
	}
}

// headroom is room kept in front of every reply for its frame header:
// 2 bytes, 4 with a 16-bit length, 10 with a 64-bit one.
const headroom = ws.MaxHeaderSize - 4 // a server's frames carry no mask key

func serve(conn net.Conn) {
	defer conn.Close()
	path := ""
	// A handshake that never finishes must not hold the connection.
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	up := ws.Upgrader{OnRequest: func(uri []byte) error {
		switch p := string(uri); p {
		case contract.PathContract, contract.PathExact:
			path = p
			return nil
		}
		return ws.RejectConnectionError(ws.RejectionStatus(404))
	}}
	if _, err := up.Upgrade(conn); err != nil {
		return
	}
	_ = conn.SetDeadline(time.Time{})

	// One read syscall fetches a small frame's header and payload together.
	src := bufio.NewReaderSize(conn, 4096)
	answered := false // a control frame's handler has closed the connection
	handle := wsutil.ControlFrameHandler(conn, ws.StateServerSide)
	control := func(h ws.Header, r io.Reader) error {
		err := handle(h, r)
		answered = err != nil
		return err
	}
	rd := &wsutil.Reader{
		Source:         src,
		State:          ws.StateServerSide,
		CheckUTF8:      true,
		MaxMessageSize: contract.MaxMessage,
		OnIntermediate: control,
	}
	buf := make([]byte, 0, 512) // headroom, then the reply; grows up to the largest message
	// ANCHOR: echo
	for {
		hdr, err := rd.NextFrame()
		if err != nil {
			if !answered {
				fail(conn, err)
			}
			return
		}
		if hdr.OpCode.IsControl() {
			if err := control(hdr, rd); err != nil {
				return // a close was answered, or the write failed
			}
			continue
		}
		start := headroom
		if path == contract.PathContract && hdr.OpCode == ws.OpText {
			buf = append(buf[:headroom], contract.Prefix...)
		} else {
			buf = buf[:headroom]
		}
		if buf, err = readMessage(rd, buf); err != nil {
			if !answered {
				fail(conn, err)
			}
			return
		}
		reply := ws.Header{Fin: true, OpCode: hdr.OpCode, Length: int64(len(buf) - start)}
		start -= ws.HeaderSize(reply)
		if err := ws.WriteHeader(&sliceWriter{buf[start:start]}, reply); err != nil {
			return
		}
		if _, err := conn.Write(buf[start:]); err != nil {
			return
		}
	}
	// ANCHOR_END: echo
}

// readMessage appends the rest of the message rd is on to buf.
func readMessage(rd *wsutil.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append pick the next size
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// fail closes the connection with the code RFC 6455 §7.4.1 gives err.
func fail(conn net.Conn, err error) {
	code := ws.StatusProtocolError
	var protocol ws.ProtocolError
	switch {
	case errors.Is(err, wsutil.ErrInvalidUTF8):
		code = ws.StatusInvalidFramePayloadData
	case errors.Is(err, wsutil.ErrMessageTooLarge), errors.Is(err, wsutil.ErrFrameTooLarge):
		code = ws.StatusMessageTooBig
	case !errors.As(err, &protocol):
		return // the connection itself failed: nobody to tell
	}
	_ = ws.WriteFrame(conn, ws.NewCloseFrame(ws.NewCloseFrameBody(code, "")))
}

// sliceWriter writes into the capacity of b, which must be enough.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
