package conformance

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// Outcome is a case's verdict.
type Outcome string

// The three verdicts, as the Autobahn TestSuite names them.
const (
	Pass      Outcome = "pass"
	NonStrict Outcome = "non-strict"
	Fail      Outcome = "fail"
)

// Result is what one case found.
type Result struct {
	Outcome Outcome
	// Detail says what happened when the outcome is not a pass.
	Detail string
}

// Case is one check: an ID in Autobahn's style ("2.3"), a group, a name,
// and what to send and expect.
type Case struct {
	ID    string
	Group string
	Name  string
	run   func(p *peer) Result
}

func pass() Result                              { return Result{Outcome: Pass} }
func failf(format string, a ...any) Result      { return Result{Fail, fmt.Sprintf(format, a...)} }
func nonStrictf(format string, a ...any) Result { return Result{NonStrict, fmt.Sprintf(format, a...)} }

// echoOf is what the echo contract answers to a message.
func echoOf(op byte, payload []byte) []byte {
	if op == opText {
		return append([]byte("Received: "), payload...)
	}
	return payload
}

// expectEcho: the next message is the echo of (op, payload).
func expectEcho(p *peer, op byte, payload []byte) Result {
	gotOp, got, controls, err := p.readMessage()
	switch {
	case err != nil:
		return failf("no echo: %v", err)
	case gotOp == 0:
		return failf("closed with %s instead of echoing", describeClose(controls[len(controls)-1].payload))
	case gotOp != op:
		return failf("echo has opcode %#x, want %#x", gotOp, op)
	case !bytes.Equal(got, echoOf(op, payload)):
		return failf("echo of %d bytes, want %d", len(got), len(echoOf(op, payload)))
	}
	return pass()
}

// expectFailure: the server must fail the connection with code (§7.1.7).
// A close with another code, or TCP dropped without a close frame, is
// non-strict; any data message back is a fail.
func expectFailure(p *peer, code int) Result {
	for {
		f, err := p.read()
		if err != nil {
			return nonStrictf("dropped TCP without a close frame (want close %d)", code)
		}
		switch f.op {
		case opPong:
			// A pong answers a ping the server should have refused, or
			// one sent after the fault: §7.1.7 says stop processing input.
			// (Autobahn fails both: its 2.5, 4.1.3 and 5.1.)
			return failf("answered with a pong (%d bytes) instead of failing with %d", len(f.payload), code)
		case opClose:
			got := closeCode(f.payload)
			if got == code {
				return pass()
			}
			return nonStrictf("closed with %s, want %d", describeClose(f.payload), code)
		default:
			return failf("answered with a data frame (opcode %#x, %.30q) instead of failing with %d", f.op, f.payload, code)
		}
	}
}

// expectCloseReply: after our close with code, the server must answer with
// a close frame (§5.5.1); echoing our code is what the RFC suggests.
func expectCloseReply(p *peer, code int) Result {
	for {
		f, err := p.read()
		if err != nil {
			return failf("no close frame in reply: the server dropped TCP (a browser sees 1006)")
		}
		switch f.op {
		case opPong:
			continue
		case opClose:
			if got := closeCode(f.payload); got == code || (code == 0 && len(f.payload) == 0) {
				return pass()
			}
			return nonStrictf("answered with %s, our code was %d", describeClose(f.payload), code)
		default:
			return failf("sent data (opcode %#x) after our close", f.op)
		}
	}
}

func closeCode(body []byte) int {
	if len(body) < 2 {
		return 0
	}
	return int(binary.BigEndian.Uint16(body))
}

func describeClose(body []byte) string {
	if len(body) < 2 {
		return "a close frame without a code"
	}
	return fmt.Sprintf("close %d", closeCode(body))
}

func closeBody(code int, reason string) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
}

// sendThen sends frames and, if that worked, checks with expect.
func sendThen(frames [][]byte, expect func(p *peer) Result) func(p *peer) Result {
	return func(p *peer) Result {
		if err := p.send(frames...); err != nil {
			return nonStrictf("the server closed while we were sending: %v", err)
		}
		return expect(p)
	}
}

func final(op byte, payload string) []byte    { return build(true, 0, op, []byte(payload)) }
func fragment(op byte, payload string) []byte { return build(false, 0, op, []byte(payload)) }

// Cases returns every case, in order.
func Cases() []Case {
	var cs []Case
	add := func(group, name string, run func(p *peer) Result) {
		n := 1
		for _, c := range cs {
			if c.Group == group {
				n++
			}
		}
		cs = append(cs, Case{ID: fmt.Sprintf("%s.%d", groupNumber(group), n), Group: group, Name: name, run: run})
	}

	// 1. Framing at every length encoding (§5.2).
	for _, op := range []byte{opText, opBinary} {
		kind := map[byte]string{opText: "text", opBinary: "binary"}[op]
		for _, n := range []int{0, 125, 126, 127, 65535, 65536} {
			payload := strings.Repeat("*", n)
			add("framing", fmt.Sprintf("%s, %d bytes", kind, n), sendThen([][]byte{final(op, payload)}, func(p *peer) Result {
				return expectEcho(p, op, []byte(payload))
			}))
		}
	}
	for _, chunk := range []int{1, 7} {
		payload := strings.Repeat("split ", 50)
		add("framing", fmt.Sprintf("text frame sent %d byte(s) per TCP write", chunk), func(p *peer) Result {
			if err := p.sendInChunks(final(opText, payload), chunk); err != nil {
				return failf("sending: %v", err)
			}
			return expectEcho(p, opText, []byte(payload))
		})
	}

	// 2. Ping and pong (§5.5.2, §5.5.3).
	pong := func(payload string) func(p *peer) Result {
		return func(p *peer) Result {
			f, err := p.read()
			switch {
			case err != nil:
				return failf("no pong: %v", err)
			case f.op != opPong:
				return failf("answered opcode %#x, want a pong", f.op)
			case string(f.payload) != payload:
				return failf("pong carries %d bytes, want the ping's %d", len(f.payload), len(payload))
			}
			return pass()
		}
	}
	add("ping/pong", "empty ping", sendThen([][]byte{final(opPing, "")}, pong("")))
	add("ping/pong", "ping with 125 bytes", sendThen([][]byte{final(opPing, strings.Repeat("p", 125))}, pong(strings.Repeat("p", 125))))
	add("ping/pong", "ping with 126 bytes → 1002", sendThen([][]byte{final(opPing, strings.Repeat("p", 126))}, func(p *peer) Result { return expectFailure(p, 1002) }))
	add("ping/pong", "unsolicited pong is ignored", sendThen([][]byte{final(opPong, "unasked"), final(opText, "after")}, func(p *peer) Result {
		return expectEcho(p, opText, []byte("after"))
	}))
	add("ping/pong", "ten pings, ten pongs in order", func(p *peer) Result {
		for i := range 10 {
			if err := p.send(final(opPing, fmt.Sprintf("ping %d", i))); err != nil {
				return failf("sending: %v", err)
			}
		}
		for i := range 10 {
			if r := pong(fmt.Sprintf("ping %d", i))(p); r.Outcome != Pass {
				return r
			}
		}
		return pass()
	})

	// 3. Reserved bits (§5.2): no extension was negotiated.
	for bit := 1; bit <= 3; bit++ {
		rsv := byte(1) << (3 - bit)
		add("reserved bits", fmt.Sprintf("RSV%d set → 1002", bit), sendThen([][]byte{build(true, rsv, opText, []byte("x"))}, func(p *peer) Result {
			return expectFailure(p, 1002)
		}))
	}

	// 4. Reserved opcodes (§5.2).
	for _, op := range []byte{0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF} {
		add("reserved opcodes", fmt.Sprintf("opcode %#x → 1002", op), sendThen([][]byte{final(op, "x")}, func(p *peer) Result {
			return expectFailure(p, 1002)
		}))
	}

	// After failing the connection, a server processes no more input
	// (§7.1.7): the ping behind the bad frame gets no pong.
	add("reserved opcodes", "a ping after opcode 0x3 gets no pong", sendThen([][]byte{final(0x3, "x"), final(opPing, "after")}, func(p *peer) Result {
		return expectFailure(p, 1002)
	}))

	// 5. Fragmentation (§5.4).
	add("fragmentation", "text in three fragments", sendThen([][]byte{fragment(opText, "frag"), fragment(opCont, "men"), final(opCont, "ted")}, func(p *peer) Result {
		return expectEcho(p, opText, []byte("fragmented"))
	}))
	add("fragmentation", "binary in two fragments", sendThen([][]byte{fragment(opBinary, "\x00\x01"), final(opCont, "\x02")}, func(p *peer) Result {
		return expectEcho(p, opBinary, []byte("\x00\x01\x02"))
	}))
	add("fragmentation", "ping between fragments", sendThen([][]byte{fragment(opText, "Hel"), final(opPing, "mid"), final(opCont, "lo")}, func(p *peer) Result {
		if r := pong("mid")(p); r.Outcome != Pass {
			return r
		}
		return expectEcho(p, opText, []byte("Hello"))
	}))
	add("fragmentation", "fragmented ping → 1002", sendThen([][]byte{fragment(opPing, "x"), final(opCont, "y")}, func(p *peer) Result { return expectFailure(p, 1002) }))
	add("fragmentation", "continuation with nothing to continue → 1002", sendThen([][]byte{final(opCont, "orphan")}, func(p *peer) Result { return expectFailure(p, 1002) }))
	add("fragmentation", "new text frame inside a fragmented message → 1002", sendThen([][]byte{fragment(opText, "a"), final(opText, "b")}, func(p *peer) Result { return expectFailure(p, 1002) }))

	// 6. UTF-8 (§8.1).
	add("UTF-8", "valid multi-byte text", sendThen([][]byte{final(opText, "κόσμε ✓ 🎉")}, func(p *peer) Result { return expectEcho(p, opText, []byte("κόσμε ✓ 🎉")) }))
	add("UTF-8", "code point split across fragments", sendThen([][]byte{fragment(opText, "caf\xc3"), final(opCont, "\xa9")}, func(p *peer) Result { return expectEcho(p, opText, []byte("café")) }))
	for _, bad := range []struct{ name, text string }{
		{"a lone 0xFF byte", "bad \xff"},
		{"an overlong encoding of /", "\xc0\xaf"},
		{"a UTF-16 surrogate", "\xed\xa0\x80"},
		{"a truncated sequence at the end", "caf\xc3"},
	} {
		add("UTF-8", "invalid: "+bad.name+" → 1007", sendThen([][]byte{final(opText, bad.text)}, func(p *peer) Result { return expectFailure(p, 1007) }))
	}

	// 7. Close (§5.5.1, §7.4).
	for _, code := range []int{1000, 1001, 1003, 1007, 1011, 3000, 4999} {
		add("close", fmt.Sprintf("close %d is answered", code), sendThen([][]byte{final(opClose, string(closeBody(code, "bye")))}, func(p *peer) Result { return expectCloseReply(p, code) }))
	}
	add("close", "close with no body is answered", sendThen([][]byte{final(opClose, "")}, func(p *peer) Result { return expectCloseReply(p, 0) }))
	for _, code := range []int{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000} {
		add("close", fmt.Sprintf("invalid code %d → 1002", code), sendThen([][]byte{final(opClose, string(closeBody(code, "")))}, func(p *peer) Result { return expectFailure(p, 1002) }))
	}
	add("close", "1-byte body → 1002", sendThen([][]byte{final(opClose, "\x03")}, func(p *peer) Result { return expectFailure(p, 1002) }))
	add("close", "reason not UTF-8 → 1007", sendThen([][]byte{final(opClose, string(closeBody(1000, "\xff\xfe")))}, func(p *peer) Result { return expectFailure(p, 1007) }))
	add("close", "data after close is not echoed", sendThen([][]byte{final(opClose, string(closeBody(1000, ""))), final(opText, "late")}, func(p *peer) Result { return expectCloseReply(p, 1000) }))
	return cs
}

var groups = []string{"framing", "ping/pong", "reserved bits", "reserved opcodes", "fragmentation", "UTF-8", "close"}

func groupNumber(group string) string {
	for i, g := range groups {
		if g == group {
			return fmt.Sprint(i + 1)
		}
	}
	return "?"
}
