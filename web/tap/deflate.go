package tap

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"net/http"
	"strings"
)

// The bounds of inflating what a watched connection compressed: whatever
// a client sends, the inspector's memory and work stay within them.
const (
	// maxCompressed is the largest compressed message the inspector
	// inflates. Past it the message is shown as it is, compressed.
	maxCompressed = 64 << 10

	// maxInflated is the most one message may inflate to (a message that
	// inflates further is a "zip bomb", or not the inspector's business).
	maxInflated = 8 << 20

	// windowSize is DEFLATE's largest window, 32 KiB: with context
	// takeover, a message may refer to the last 32 KiB of the ones before.
	windowSize = 32 << 10
)

// inflateTail ends a message's deflate data so that compress/flate reads
// it to a clean end: the 4 bytes that RFC 7692 §7.2.2 strips from every
// message (an empty stored block), then an empty final stored block.
var inflateTail = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// errInflatedTooBig stops a message that inflates past maxInflated.
var errInflatedTooBig = errors.New("inflates to more than 8 MiB")

// ANCHOR: inflater

// inflater inflates the messages of one direction of a connection that
// negotiated permessage-deflate (RFC 7692), to show what they say, as a
// network inspector does. With context takeover (the default) each
// message may refer back to the 32 KiB before it, so the inflater keeps
// that window, and passes it to compress/flate as the dictionary of the
// next message.
type inflater struct {
	takeover bool   // this direction's compressor keeps its window
	window   []byte // the last 32 KiB inflated, with takeover
	msg      []byte // the message's deflate data so far, unmasked
	over     bool   // the message passed maxCompressed
	lost     bool   // with takeover, a message went uninflated: the window is gone
}

// ANCHOR_END: inflater

// start begins a compressed message.
func (z *inflater) start() { z.msg, z.over = z.msg[:0], false }

// write adds payload bytes as they came, unmasking them with key from
// payload position pos when masked.
func (z *inflater) write(b []byte, masked bool, key [4]byte, pos uint64) {
	if z.over {
		return
	}
	if len(z.msg)+len(b) > maxCompressed {
		z.over, z.msg = true, nil
		return
	}
	start := len(z.msg)
	z.msg = append(z.msg, b...)
	if masked {
		applyMask(key, pos, z.msg[start:])
	}
}

// finish inflates the message, and returns its first shownBytes and its
// length.
func (z *inflater) finish() (head []byte, n int, err error) {
	switch {
	case z.lost:
		return nil, 0, errors.New("not inflated: an earlier message was not, and its window is gone")
	case z.over:
		z.lost = z.takeover
		return nil, 0, errors.New("not inflated: over 64 KiB compressed")
	}
	out := &window{keep: z.takeover}
	if z.takeover {
		out.tail = append(out.tail, z.window...)
	}
	r := flate.NewReaderDict(io.MultiReader(bytes.NewReader(z.msg), bytes.NewReader(inflateTail)), z.window)
	_, err = io.Copy(out, r)
	if err != nil {
		z.lost = z.takeover
		return nil, 0, errors.New("not inflated: " + err.Error())
	}
	if z.takeover {
		z.window = append(z.window[:0], out.tail[max(0, len(out.tail)-windowSize):]...)
	}
	return out.head, out.n, nil
}

// window keeps what a message inflates to: its first shownBytes, its
// length, and (with keep) the last windowSize bytes.
type window struct {
	head []byte
	n    int
	keep bool
	tail []byte
}

func (w *window) Write(p []byte) (int, error) {
	w.n += len(p)
	if w.n > maxInflated {
		return 0, errInflatedTooBig
	}
	if need := shownBytes - len(w.head); need > 0 {
		w.head = append(w.head, p[:min(need, len(p))]...)
	}
	if w.keep {
		w.tail = append(w.tail, p...)
		if len(w.tail) > 2*windowSize {
			w.tail = w.tail[:copy(w.tail, w.tail[len(w.tail)-windowSize:])]
		}
	}
	return len(p), nil
}

// inflaters reads a 101 response's Sec-WebSocket-Extensions: if the
// server accepted permessage-deflate, it returns an inflater for each
// direction, in (the client's compressor) and out (the server's), each
// with its context takeover as negotiated (RFC 7692 §7.1.1).
func inflaters(h http.Header) (in, out *inflater) {
	for _, v := range h.Values("Sec-WebSocket-Extensions") {
		for ext := range strings.SplitSeq(v, ",") {
			params := strings.Split(ext, ";")
			if !strings.EqualFold(strings.TrimSpace(params[0]), "permessage-deflate") {
				continue
			}
			in, out = &inflater{takeover: true}, &inflater{takeover: true}
			for _, p := range params[1:] {
				name, _, _ := strings.Cut(strings.TrimSpace(p), "=")
				switch strings.ToLower(strings.TrimSpace(name)) {
				case "client_no_context_takeover":
					in.takeover = false
				case "server_no_context_takeover":
					out.takeover = false
				}
			}
			return in, out
		}
	}
	return nil, nil
}
