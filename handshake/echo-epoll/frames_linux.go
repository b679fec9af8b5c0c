package main

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/websocket-in-go/workbook/handshake"
)

// prefix goes in front of every text message echoed on /ws.
var prefix = []byte("Received: ")

// ANCHOR: frame

// frame handles the frame at the start of b, if all of it has arrived, and
// returns its size; 0 means wait for more bytes. The header is checked as
// soon as it is complete, before its payload has arrived: a frame that
// claims more than the limit is refused before a byte of it is kept. The
// payload is unmasked in place, in the buffer it arrived in, and echoed
// from there.
func (l *loop) frame(c *conn, b []byte) int {
	h, size, err := handshake.ParseFrameHeader(b)
	if err != nil {
		return 0 // io.ErrUnexpectedEOF: the header is not all here yet
	}
	if fault := l.check(c, &h); fault != nil {
		l.fail(c, fault)
		return len(b)
	}
	end := size + int(h.Length)
	if len(b) < end {
		return 0
	}
	payload := b[size:end]
	handshake.ApplyMask(h.Key, 0, payload)
	switch {
	case h.Opcode.IsControl():
		l.control(c, h.Opcode, payload)
	case h.Fin && c.msgOp == 0: // a whole message in one frame: no copy
		l.message(c, h.Opcode, payload)
	default: // a fragment: collect it in a buffer of the connection's own
		if c.msgOp == 0 {
			c.msgOp = uint8(h.Opcode)
			c.msg = getBuf()
		}
		*c.msg = append(*c.msg, payload...)
		if h.Fin {
			msg := c.msg
			op := handshake.Opcode(c.msgOp)
			c.msg, c.msgOp = nil, 0
			l.message(c, op, *msg)
			putBuf(msg)
		}
	}
	return end
}

// ANCHOR_END: frame

// ANCHOR: check

// check applies the rules of RFC 6455 §5.1–§5.5 to a frame header, as
// handshake's Conn does without an extension, and returns the fault.
func (l *loop) check(c *conn, h *handshake.FrameHeader) *handshake.CloseError {
	fault := func(reason string) *handshake.CloseError {
		return &handshake.CloseError{
			Code: handshake.CloseProtocolError, Reason: reason, Sent: true,
		}
	}
	inMessage := c.msgOp != 0
	switch op := h.Opcode; {
	case h.RSV != 0:
		return fault("reserved bits set, but no extension was negotiated") // §5.2
	case op != handshake.OpContinuation && op != handshake.OpText &&
		op != handshake.OpBinary && op != handshake.OpClose &&
		op != handshake.OpPing && op != handshake.OpPong:
		return fault(fmt.Sprintf("reserved opcode %#x", byte(op))) // §5.2
	case h.Length>>63 != 0:
		return fault("64-bit payload length with its most significant bit set") // §5.2
	case op.IsControl() && !h.Fin:
		return fault("fragmented control frame") // §5.5
	case op.IsControl() && h.Length > 125:
		return fault("control frame payload over 125 bytes") // §5.5
	case !h.Masked:
		return fault("client frame not masked") // §5.1
	case op == handshake.OpContinuation && !inMessage:
		return fault("continuation frame with no message to continue") // §5.4
	case (op == handshake.OpText || op == handshake.OpBinary) && inMessage:
		return fault("new data frame inside a fragmented message") // §5.4
	}
	have := 0
	if c.msg != nil {
		have = len(*c.msg)
	}
	if !h.Opcode.IsControl() && h.Length > uint64(l.cfg.maxMessage-have) {
		return &handshake.CloseError{
			Code:   handshake.CloseTooBig,
			Reason: fmt.Sprintf("message over %d bytes", l.cfg.maxMessage),
			Sent:   true,
		}
	}
	return nil
}

// ANCHOR_END: check

// message echoes a whole message: text must be UTF-8 (§8.1), checked on
// the whole message so that a code point may span fragments.
func (l *loop) message(c *conn, op handshake.Opcode, payload []byte) {
	if op == handshake.OpText && !utf8.Valid(payload) {
		l.fail(c, &handshake.CloseError{Code: handshake.CloseInvalidData, Reason: "text message is not valid UTF-8", Sent: true})
		return
	}
	var pre []byte
	if op == handshake.OpText && !c.exact {
		pre = prefix
	}
	var hdr [handshake.MaxFrameHeaderLen]byte
	h := handshake.AppendFrameHeader(hdr[:0], handshake.FrameHeader{Fin: true, Opcode: op, Length: uint64(len(pre) + len(payload))})
	l.send(c, h, pre, payload)
}

// ANCHOR: control

// control answers a control frame (§5.5): a ping with a pong carrying its
// payload, a pong not at all, a close with a close (echoing the peer's
// code, §5.5.1), after which the connection closes.
func (l *loop) control(c *conn, op handshake.Opcode, payload []byte) {
	var hdr [handshake.MaxFrameHeaderLen]byte
	switch op {
	case handshake.OpPing:
		h := handshake.AppendFrameHeader(hdr[:0], handshake.FrameHeader{Fin: true, Opcode: handshake.OpPong, Length: uint64(len(payload))})
		l.send(c, h, payload)
		return
	case handshake.OpPong:
		return
	}
	code, _, err := handshake.ParseCloseBody(payload)
	if ce, ok := errors.AsType[*handshake.CloseError](err); ok {
		l.fail(c, ce)
		return
	}
	var body []byte
	if code != handshake.CloseNoStatus {
		body = []byte{byte(code >> 8), byte(code)}
	}
	h := handshake.AppendFrameHeader(hdr[:0], handshake.FrameHeader{Fin: true, Opcode: handshake.OpClose, Length: uint64(len(body))})
	c.state = stateClosing
	l.send(c, h, body)
	l.closing(c)
}

// ANCHOR_END: control

// ANCHOR: fail

// fail fails the connection (§7.1.7): a close frame with the fault's code
// and reason, then no more input, then close.
func (l *loop) fail(c *conn, fault *handshake.CloseError) {
	reason := fault.Reason
	if len(reason) > 123 { // a control frame's payload is at most 125 bytes
		reason = reason[:123]
	}
	body := append([]byte{byte(fault.Code >> 8), byte(fault.Code)}, reason...)
	var hdr [handshake.MaxFrameHeaderLen]byte
	h := handshake.AppendFrameHeader(hdr[:0], handshake.FrameHeader{Fin: true, Opcode: handshake.OpClose, Length: uint64(len(body))})
	c.state = stateClosing
	l.send(c, h, body)
	l.closing(c)
}

// ANCHOR_END: fail
