package conformance

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// ioTimeout bounds every read a case makes: a server that says nothing
// when it should answer has failed, not hung the suite.
const ioTimeout = 3 * time.Second

// peer is a raw WebSocket client after the opening handshake.
type peer struct {
	conn net.Conn
	r    *bufio.Reader
}

// frame is one frame as the server sent it.
type frame struct {
	fin     bool
	op      byte
	payload []byte
}

// dial opens TCP to a ws:// URL and does the opening handshake.
func dial(wsURL string) (*peer, error) {
	u, err := url.Parse(wsURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", u.Host, ioTimeout)
	if err != nil {
		return nil, err
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, key)
	conn.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := conn.Write([]byte(req)); err != nil {
		conn.Close()
		return nil, err
	}
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.StatusCode != http.StatusSwitchingProtocols ||
		resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("handshake refused: %s", resp.Status)
	}
	conn.SetDeadline(time.Time{})
	return &peer{conn: conn, r: r}, nil
}

// build encodes one client frame: masked, with the given first-byte bits.
func build(fin bool, rsv, op byte, payload []byte) []byte {
	b0 := rsv<<4 | op
	if fin {
		b0 |= 0x80
	}
	b := []byte{b0}
	switch n := len(payload); {
	case n <= 125:
		b = append(b, 0x80|byte(n))
	case n <= 0xFFFF:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	var key [4]byte
	_, _ = rand.Read(key[:])
	b = append(b, key[:]...)
	for i, c := range payload {
		b = append(b, c^key[i%4])
	}
	return b
}

// send writes frames in one write each.
func (p *peer) send(frames ...[]byte) error {
	for _, f := range frames {
		p.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
		if _, err := p.conn.Write(f); err != nil {
			return err
		}
	}
	return nil
}

// sendInChunks writes one frame in pieces of n bytes, each its own write
// (Go disables Nagle's algorithm, so each is its own TCP segment).
func (p *peer) sendInChunks(f []byte, n int) error {
	for len(f) > 0 {
		k := min(n, len(f))
		if err := p.send(f[:k]); err != nil {
			return err
		}
		f = f[k:]
	}
	return nil
}

// errNoFrame means the server closed TCP (or went silent) instead of
// sending a frame.
var errNoFrame = errors.New("no frame: the connection ended or timed out")

// read reads one frame from the server.
func (p *peer) read() (frame, error) {
	p.conn.SetReadDeadline(time.Now().Add(ioTimeout))
	var h [2]byte
	if _, err := io.ReadFull(p.r, h[:]); err != nil {
		return frame{}, errNoFrame
	}
	f := frame{fin: h[0]&0x80 != 0, op: h[0] & 0x0F}
	if h[1]&0x80 != 0 {
		return frame{}, errors.New("the server masked its frame")
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(p.r, ext[:]); err != nil {
			return frame{}, errNoFrame
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(p.r, ext[:]); err != nil {
			return frame{}, errNoFrame
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > 1<<21 {
		return frame{}, fmt.Errorf("frame of %d bytes is more than any case expects", n)
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(p.r, f.payload); err != nil {
		return frame{}, errNoFrame
	}
	return f, nil
}

// readMessage reads one data message, reassembling fragments, and returns
// the control frames it met on the way.
func (p *peer) readMessage() (op byte, payload []byte, controls []frame, err error) {
	for {
		f, err := p.read()
		if err != nil {
			return 0, nil, controls, err
		}
		if f.op >= 0x8 {
			controls = append(controls, f)
			if f.op == opClose {
				return 0, nil, controls, nil
			}
			continue
		}
		if op == 0 {
			op = f.op
		}
		payload = append(payload, f.payload...)
		if f.fin {
			return op, payload, controls, nil
		}
	}
}

func (p *peer) close() { p.conn.Close() }

// Opcodes, as the RFC numbers them.
const (
	opCont   = 0x0
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA
)
