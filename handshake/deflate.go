package handshake

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// rsv1 is the "Per-Message Compressed" bit of RFC 7692 §6: RSV1 of a
// message's first frame.
const rsv1 = 0x40

// windowSize is DEFLATE's largest window: the 32 KiB that a back-reference
// may reach (RFC 1951 §2), and what context takeover keeps per direction.
const windowSize = 1 << maxWindowBits

// deflateState is a Conn's permessage-deflate state, nil when compression
// was not negotiated. What it holds is small until it is used: the
// compressor of its own (context takeover on our side) is made with the
// first compressed message we send, the peer's window with the first
// compressed message we receive.
type deflateState struct {
	threshold int // messages shorter than this are sent uncompressed

	// Our side's compressor, from the handshake (§7.1).
	ourNoContext bool // every message starts with an empty window
	ourHuffman   bool // the peer asked for a window under 32 KiB: Huffman-only output
	// The peer's side.
	peerNoContext bool // the peer's messages need no window of earlier ones

	own    *compressor // with context takeover; touched only by the holder of the writer
	window []byte      // the peer's last 32 KiB, for its context takeover; reading side only
}

// wants reports whether a message made of parts is long enough to be
// compressed.
func (d *deflateState) wants(parts [][]byte) bool {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return n >= d.threshold
}

// newDeflateState is the state for params on the client or server side.
func newDeflateState(p deflateParams, cfg *Compression, client bool) *deflateState {
	d := &deflateState{threshold: cfg.threshold()}
	if client {
		d.ourNoContext, d.ourHuffman = p.clientNoContextTakeover, p.clientMaxWindowBits < maxWindowBits
		d.peerNoContext = p.serverNoContextTakeover
	} else {
		d.ourNoContext, d.ourHuffman = p.serverNoContextTakeover, p.serverMaxWindowBits < maxWindowBits
		d.peerNoContext = p.clientNoContextTakeover
	}
	return d
}

// ANCHOR: compressor

// compressor is a flate.Writer and the buffer it writes into. Its memory
// is large (compress/flate's Writer holds 0.8 to 1.2 MB of tables and
// windows, whatever the level), so it is made once and then either pooled
// (no context takeover: any message may use any writer) or kept by one
// connection for good (context takeover: its window is that connection's
// history).
type compressor struct {
	fw  *flate.Writer
	out []byte // where fw writes: the frame being built
}

func (w *compressor) Write(p []byte) (int, error) {
	w.out = append(w.out, p...)
	return len(p), nil
}

func newCompressor(level int) *compressor {
	w := &compressor{}
	w.fw, _ = flate.NewWriter(w, level) // the level is one of ours: no error
	return w
}

// The two pools of compressors without context takeover. BestSpeed is
// gorilla's default level, and the cheapest to Reset between messages;
// HuffmanOnly is the one whose output fits any window (no back-references
// at all), for a peer that asked for a window under 32 KiB (§7.1.2), and
// needs no Reset: it keeps nothing from one message to the next.
var (
	fastCompressors = sync.Pool{
		New: func() any { return newCompressor(flate.BestSpeed) },
	}
	huffmanCompressors = sync.Pool{
		New: func() any { return newCompressor(flate.HuffmanOnly) },
	}
)

// contextTakeoverLevel is the level of a connection's own compressor.
// BestSpeed's fast encoder looks back only into the previous block (here:
// the previous message), so with context takeover it saves little; level 2
// searches the whole 32 KiB window, and its Writer is smaller (measured
// with go run ./handshake/deflate/measure and BenchmarkCompressedConnMemory:
// JSON events of 1 KiB shrink to 20% instead of 29%, 0.85 MB instead of
// 1.2 MB per connection). It is never Reset, so the 640 KiB of hash tables
// that a Reset of level 2 would clear cost nothing per message.
const contextTakeoverLevel = 2

// ANCHOR_END: compressor

// ANCHOR: compress

// compress appends the compressed payload of one message to dst (RFC 7692
// §7.2.1): DEFLATE, then a flush, which ends the output with an empty
// stored block 00 00 FF FF, whose 4 bytes are removed. With context
// takeover the same writer carries on from the previous message, so a
// back-reference may point into it.
func (d *deflateState) compress(dst, msg []byte) ([]byte, error) {
	var w *compressor
	switch {
	case d.ourHuffman:
		w = huffmanCompressors.Get().(*compressor)
		defer huffmanCompressors.Put(w)
	case d.ourNoContext:
		w = fastCompressors.Get().(*compressor)
		defer fastCompressors.Put(w)
		w.fw.Reset(w) // forget the previous user's window
	default:
		if d.own == nil {
			d.own = newCompressor(contextTakeoverLevel) // made on first use, kept
		}
		w = d.own
	}
	w.out = dst
	if _, err := w.fw.Write(msg); err != nil {
		return dst, err
	}
	if err := w.fw.Flush(); err != nil {
		return dst, err
	}
	out := w.out
	w.out = nil
	if !bytes.HasSuffix(out, deflateSyncTail) {
		return dst, errors.New("websocket: flate.Writer.Flush did not end with 00 00 " +
			"ff ff")
	}
	return out[:len(out)-len(deflateSyncTail)], nil
}

// deflateSyncTail ends every flush of a DEFLATE stream: the LEN and NLEN
// of an empty stored block (RFC 1951 §3.2.4). §7.2.1 removes it from the
// wire, §7.2.2 puts it back.
var deflateSyncTail = []byte{0x00, 0x00, 0xff, 0xff}

// ANCHOR_END: compress

// ANCHOR: write-compressed

// writeCompressed sends one message compressed, in one frame with RSV1 set
// (§6). The writer is held while compressing, not only while writing: with
// context takeover the compressor's history must be the order of messages
// on the wire, and two goroutines writing at once would interleave it.
// The payload is compressed into the buffer behind room for the longest
// header, and the header, once its length is known, goes right in front.
func (c *Conn) writeCompressed(op Opcode, limit bound, parts [][]byte) error {
	limit, locked := c.lockWriter(limit)
	if !locked {
		return errWriterBusy
	}
	defer c.unlockWriter()
	if err := c.writable(); err != nil {
		return err
	}
	// The parts are joined first: flate.Writer's Write hands its argument
	// to a function value, so escape analysis would move every caller's
	// parts to the heap ("Received: " included), costing an allocation
	// per message even when nothing is compressed.
	in := getBuffer(0)
	for _, p := range parts {
		*in = append(*in, p...)
	}
	bp := getBuffer(0)
	b := append((*bp)[:0], make([]byte, maxHeaderLen)...)
	b, err := c.deflate.compress(b, *in)
	putBuffer(in)
	if err != nil {
		c.writeErr = err // the compressor's history is lost: so is the connection
		return err
	}
	h := header{fin: true, rsv: rsv1, op: op, masked: c.client,
		length: uint64(len(b) - maxHeaderLen)}
	if h.masked {
		newMaskKey(&h.key)
		maskWords(h.key, 0, b[maxHeaderLen:])
	}
	var hb [maxHeaderLen]byte
	start := maxHeaderLen - len(appendHeader(hb[:0], &h))
	copy(b[start:maxHeaderLen], hb[:maxHeaderLen-start])
	err = c.sendLocked(op, limit, b[start:])
	*bp = b
	putBuffer(bp)
	return err
}

// ANCHOR_END: write-compressed

// ANCHOR: inflate

// inflater is a flate reader and the bytes it reads, pooled: a reader is
// about 45 KiB, and a connection needs one only while a compressed message
// is being inflated.
type inflater struct {
	fr  io.ReadCloser
	src bytes.Reader // a ByteReader, so flate reads no further than it must
}

var inflaters = sync.Pool{New: func() any {
	f := &inflater{}
	f.fr = flate.NewReader(&f.src)
	return f
}}

// inflateTail is what §7.2.2 appends to a compressed message before
// inflating it, 00 00 FF FF, followed by an empty final block (01 00 00 FF
// FF) so that the reader ends with io.EOF instead of asking for more.
var inflateTail = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// inflate replaces the compressed message in c.msg with its inflated
// bytes (§7.2.2). The limit applies to the inflated size: the output grows
// as the reader produces it, and inflating stops at the first byte over
// the limit, so a few KiB that would inflate to gigabytes (a compression
// bomb) cost no more than the limit before the connection fails with 1009.
// With the peer's context takeover, the reader starts from the peer's
// window: the last 32 KiB of the messages it sent before (flate.Resetter's
// dictionary is exactly that window).
//
//go:noinline
func (c *Conn) inflate() error {
	d := c.deflate
	in := c.msg
	*in = append(*in, inflateTail...)
	f := inflaters.Get().(*inflater)
	// the pool keeps no bytes of ours
	defer func() { f.src.Reset(nil); inflaters.Put(f) }()
	f.src.Reset((*in)[msgRoom:])
	var dict []byte
	if !d.peerNoContext {
		dict = d.window
	}
	// never fails: it only records its arguments
	_ = f.fr.(flate.Resetter).Reset(&f.src, dict)

	// The inflated message starts msgRoom bytes in, as ReadMessage
	// expects (lend.go). From here on, release() returns out; in goes back
	// below.
	out := getBuffer(0)
	*out = (*out)[:msgRoom]
	c.msg = out
	defer putBuffer(in)
	for {
		b := *out
		if len(b) == cap(b) {
			grown := make([]byte, len(b), min(len(b)+max(len(b), growStep), msgRoom+c.maxSize+1))
			copy(grown, b)
			b = grown
		}
		n, err := f.fr.Read(b[len(b):cap(b)])
		*out = b[:len(b)+n]
		if len(*out)-msgRoom > c.maxSize {
			return c.fail(&CloseError{Code: CloseTooBig,
				Reason: fmt.Sprintf("message over %d bytes once inflated",
					c.maxSize), Sent: true})
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return c.fail(&CloseError{Code: CloseInvalidData,
				Reason: "compressed payload is not DEFLATE data", Sent: true})
		}
	}
	if !d.peerNoContext {
		d.remember((*out)[msgRoom:])
	}
	return nil
}

// remember keeps the last 32 KiB of the peer's messages: its LZ77 window
// for the next one (§7.2.3.3 has a message that refers back into the one
// before). It is allocated with the first compressed message received.
func (d *deflateState) remember(msg []byte) {
	if d.window == nil {
		d.window = make([]byte, 0, windowSize)
	}
	if len(msg) >= windowSize {
		d.window = append(d.window[:0], msg[len(msg)-windowSize:]...)
		return
	}
	if keep := windowSize - len(msg); len(d.window) > keep {
		d.window = append(d.window[:0], d.window[len(d.window)-keep:]...)
	}
	d.window = append(d.window, msg...)
}

// ANCHOR_END: inflate

// compressedLimit is the most a compressed message may occupy on the wire
// for a limit of n inflated bytes: DEFLATE can be bigger than its input
// (fixed Huffman codes spend 9 bits on some bytes: 1/8 more), never by
// more than that and a few block headers.
func compressedLimit(n int) int {
	if n > (math.MaxInt-64)/9*8 {
		return math.MaxInt // a limit this large is no limit
	}
	return n + n/8 + 64
}
