package tap

import (
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestPanelWithContextTakeover: Chromium against a tapped echo that
// accepts permessage-deflate with context takeover (RFC 7692's default,
// which the by-hand server negotiates and gorilla does not), so that the
// browser's messages may refer back to the ones before: the rows still
// show each message inflated, and a message sent twice compresses to less
// the second time.
func TestPanelWithContextTakeover(t *testing.T) {
	tp := new(Tap)
	srv := &serve.Server{Addr: "127.0.0.1:0", Listen: tp.Listen}
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.Handle("/ws", takeoverEcho(t))
	tp.Register(mux, new(policy.Origins), srv)
	srv.Handler = tp.Handler(mux)
	url := run(t, srv)

	ctx := webtest.Browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url+"/")))
	webtest.WaitForLog(t, ctx, "connected to ")
	webtest.InspectPage(t, ctx)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#connect")),
		chromedp.PollFunction[chromedp.Void](
			`() => document.getElementById("log").textContent.split("connected to ").length - 1 >= 2`,
			chromedp.WithPollingMutation())), "the second connection did not open")
	const twice = "Hello, Hello, Hello, and again"
	webtest.SendValue(t, ctx, twice)
	webtest.WaitForRows(t, ctx, 2) // the first message and its echo, before the second
	webtest.SendValue(t, ctx, twice)
	rows := webtest.WaitForRows(t, ctx, 4)
	first, second := rows[0], rows[2]
	want := "inflated " + strconv.Itoa(len(twice)) + " bytes: " + twice
	assert.Equal(t, []string{"4", want}, []string{first.RSV, first.Cells[webtest.CellText]})
	assert.Equal(t, []string{"4", want}, []string{second.RSV, second.Cells[webtest.CellText]})
	n1, _ := strconv.Atoi(first.Len)
	n2, _ := strconv.Atoi(second.Len)
	assert.Less(t, n2, n1, "the second time, the message refers back to the first")
}

// takeoverEcho answers the handshake itself, accepting permessage-deflate
// with context takeover, and echoes "Received: M" uncompressed (RFC 7692
// lets each message choose). It inflates the client's messages its own
// way, independently of the tap's inflater: it keeps the whole deflate
// stream and inflates it again from the start for every message.
func takeoverEcho(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
			"Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
			handshake.AcceptKey(r.Header.Get("Sec-WebSocket-Key")))
		var stream []byte // every compressed message so far, each with its tail
		inflated := 0     // how much of the stream's output earlier messages took
		for {
			h, payload, err := readFrame(brw.Reader)
			if err != nil {
				return
			}
			msg := payload
			switch {
			case h.Opcode == handshake.OpClose:
				_, _ = conn.Write([]byte{0x88, 0x02, 0x03, 0xe8})
				return
			case h.Opcode.IsControl():
				continue
			case h.RSV&4 != 0:
				stream = append(append(stream, payload...), 0x00, 0x00, 0xff, 0xff)
				out, err := io.ReadAll(flate.NewReader(bytes.NewReader(append(bytes.Clone(stream), 0x01, 0x00, 0x00, 0xff, 0xff))))
				if err != nil {
					t.Errorf("the test server could not inflate: %v", err)
					return
				}
				msg, inflated = out[inflated:], len(out)
			}
			if h.Opcode == handshake.OpText {
				msg = append([]byte("Received: "), msg...)
			}
			frame := handshake.AppendFrameHeader(nil, handshake.FrameHeader{Fin: true, Opcode: h.Opcode, Length: uint64(len(msg))})
			if _, err := conn.Write(append(frame, msg...)); err != nil {
				return
			}
		}
	})
}

// readFrame reads one whole frame (the test's browser sends no fragments)
// and unmasks its payload.
func readFrame(br *bufio.Reader) (handshake.FrameHeader, []byte, error) {
	for n := 2; ; n++ {
		b, err := br.Peek(n)
		if err != nil {
			return handshake.FrameHeader{}, nil, err
		}
		h, size, err := handshake.ParseFrameHeader(b)
		if err != nil {
			continue
		}
		if _, err := br.Discard(size); err != nil {
			return h, nil, err
		}
		payload := make([]byte, h.Length)
		if _, err := io.ReadFull(br, payload); err != nil {
			return h, nil, err
		}
		handshake.ApplyMask(h.Key, 0, payload)
		return h, payload, nil
	}
}
