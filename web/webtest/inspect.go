package webtest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Row is one row of the page's frame inspector (#frames): its data
// attributes and the text of its cells.
type Row struct {
	Dir    string   `json:"dir"`
	Fin    string   `json:"fin"`
	RSV    string   `json:"rsv"`
	Opcode string   `json:"opcode"`
	Mask   string   `json:"mask"`
	Len    string   `json:"len"`
	Cells  []string `json:"cells"`
}

// Cell numbers of a Row, in the panel's column order.
const (
	CellKey     = 7  // the masking key, hex, or "—"
	CellSent    = 8  // the payload's first bytes as sent
	CellPayload = 9  // the same, unmasked
	CellText    = 10 // as text, or a close frame's code and reason
	cellLength  = 6  // "5 (7-bit)"
)

// dataRows selects the rows of #frames that are not pings or pongs: a
// keepalive ping may come at any time.
const dataRows = `#frames tbody tr:not([data-opcode="9"]):not([data-opcode="10"])`

// rowsJS reads the rows of dataRows.
const rowsJS = `Array.from(document.querySelectorAll(` + "`" + dataRows + "`" + `), (r) => ({
	dir: r.dataset.dir, fin: r.dataset.fin, rsv: r.dataset.rsv, opcode: r.dataset.opcode,
	mask: r.dataset.mask, len: r.dataset.len, cells: Array.from(r.cells, (c) => c.textContent)}))`

// WaitForRows waits until #frames has at least n rows that are not pings
// or pongs, and returns those; it fails the test with the rows it has if
// they do not come within the browser's deadline.
func WaitForRows(t testing.TB, ctx context.Context, n int) []Row {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](
		`(sel, n) => document.querySelectorAll(sel).length >= n`,
		chromedp.WithPollingArgs(dataRows, n),
		chromedp.WithPollingMutation(),
		chromedp.WithPollingTimeout(15*time.Second),
	))
	rows, rerr := chromedp.Run(context.WithoutCancel(ctx), chromedp.Evaluate[[]Row](rowsJS))
	require.NoError(t, rerr, "reading #frames")
	require.NoError(t, err, "waiting for %d rows in #frames; it has %d: %v", n, len(rows), rows)
	return rows
}

// SendValue puts msg into #message without typing it (70,000 keystrokes
// would take minutes) and clicks Send Message.
func SendValue(t testing.TB, ctx context.Context, msg string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](
		`document.getElementById("message").value = `+jsString(msg)))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#send"))))
}

// jsString is s as a JavaScript string literal: a JSON string is one.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// header is the part of a row the contract checks exactly.
type header struct{ Dir, Fin, RSV, Opcode, Mask, Len, Length string }

func headerOf(r Row) header {
	return header{r.Dir, r.Fin, r.RSV, r.Opcode, r.Mask, r.Len, r.Cells[cellLength]}
}

// ANCHOR: inspector_contract

// InspectorContract holds a server to the frame inspector of the shared
// page: opened from the server in headless Chromium, the page shows the
// handshake (with the accept value the tap computed) and, for each
// message, an in row and an out row with the header's fields: text,
// binary, 200 bytes (the 16-bit length) and 70,000 bytes (the 64-bit
// length), and the closing handshake with its code and reason.
func InspectorContract(t *testing.T, run RunFunc) {
	s := Start(t, run)
	ctx := Browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+"/")))
	WaitForLog(t, ctx, "connected to ")
	InspectPage(t, ctx)
}

// ANCHOR_END: inspector_contract

// InspectPage runs the inspector's checks on a page that is open and
// connected to an echo server ("Received: M" for text M), whose tap it
// watches.
//
// A server that negotiates permessage-deflate (RFC 7692) may compress any
// message: its row has RSV 4 (RSV1), a shorter length on the wire, and the
// message inflated in its last column; the contract checks those instead.
func InspectPage(t *testing.T, ctx context.Context) {
	deflate := false
	t.Run("the handshake, with the accept value", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](
			`() => document.getElementById("handshake-expected").textContent.includes("✓")`,
			chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(15*time.Second)))
		require.NoError(t, err, "the handshake panel shows no matching accept value")
		texts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`["handshake-request", "handshake-response", "handshake-key", "handshake-accept"].map((id) => document.getElementById(id).textContent)`))
		require.NoError(t, err)
		assert.Regexp(t, `^GET /ws\?inspect=[-_0-9A-Za-z]{22} HTTP/1\.1\r\n`, texts[0])
		assert.Contains(t, texts[0], "Sec-WebSocket-Key: "+texts[2]+"\r\n")
		assert.Regexp(t, `^HTTP/1\.1 101 Switching Protocols\r\n`, texts[1])
		assert.Contains(t, texts[1], "Sec-WebSocket-Accept: "+texts[3]+"\r\n")
		deflate = strings.Contains(texts[1], "permessage-deflate")
	})

	cases := []struct {
		name     string
		binary   bool
		msg      string
		in, out  header
		outText  string
		inPrefix string // the in row's text
	}{
		{"text: Hello", false, "Hello",
			header{"in", "1", "0", "1", "1", "5", "5 (7-bit)"}, header{"out", "1", "0", "1", "0", "15", "15 (7-bit)"},
			"Received: Hello", "Hello"},
		{"binary", true, "Hi!",
			header{"in", "1", "0", "2", "1", "3", "3 (7-bit)"}, header{"out", "1", "0", "2", "0", "3", "3 (7-bit)"},
			"Hi!", "Hi!"},
		{"200 bytes: the 16-bit length", false, strings.Repeat("x", 200),
			header{"in", "1", "0", "1", "1", "200", "200 (16-bit)"}, header{"out", "1", "0", "1", "0", "210", "210 (16-bit)"},
			"Received: " + strings.Repeat("x", 22) + "…", strings.Repeat("x", 32) + "…"},
		{"70,000 bytes: the 64-bit length", false, strings.Repeat("y", 70000),
			header{"in", "1", "0", "1", "1", "70000", "70000 (64-bit)"}, header{"out", "1", "0", "1", "0", "70010", "70010 (64-bit)"},
			"Received: " + strings.Repeat("y", 22) + "…", strings.Repeat("y", 32) + "…"},
	}
	seen := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.binary {
				require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#binary"))))
				defer func() { require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#binary")))) }()
			}
			SendValue(t, ctx, tc.msg)
			rows := WaitForRows(t, ctx, seen+2)
			in, out := rows[len(rows)-2], rows[len(rows)-1]
			seen = len(rows)
			checkRow(t, "the in row", in, tc.in, tc.inPrefix, deflate)
			checkRow(t, "the out row", out, tc.out, tc.outText, deflate)
			assert.Len(t, strings.Fields(in.Cells[CellKey]), 4, "a 4-byte masking key: %q", in.Cells[CellKey])
			assert.Equal(t, "—", out.Cells[CellKey], "the server does not mask")
			assert.NotEqual(t, in.Cells[CellSent], in.Cells[CellPayload], "as sent, the payload is masked")
		})
	}

	t.Run("close: Disconnect sends 1000 with its reason; the server answers", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#connect"))))
		rows := WaitForRows(t, ctx, seen+2)
		in, out := rows[seen], rows[seen+1]
		assert.Equal(t, []string{"in", "1", "8", "1"}, []string{in.Dir, in.Fin, in.Opcode, in.Mask})
		assert.Equal(t, `code 1000, reason "user disconnected"`, in.Cells[CellText])
		assert.Equal(t, []string{"out", "1", "8", "0"}, []string{out.Dir, out.Fin, out.Opcode, out.Mask})
		assert.True(t, strings.HasPrefix(out.Cells[CellText], "code 1000"), "the server's close: %q", out.Cells[CellText])
	})
}

// checkRow checks a data row against the header and text it should show.
// With permessage-deflate negotiated, a compressed row (RSV 4) has the
// length of deflate's data on the wire, and shows the message inflated:
// as long as want says, and saying text.
func checkRow(t *testing.T, which string, r Row, want header, text string, deflate bool) {
	t.Helper()
	if deflate && r.RSV == "4" {
		inflated := want.Len
		got := headerOf(r)
		want.RSV, want.Len, want.Length = "4", got.Len, got.Length
		assert.Equal(t, want, got, which+", compressed")
		assert.Equal(t, "inflated "+inflated+" bytes: "+text, r.Cells[CellText], which+", inflated")
		return
	}
	assert.Equal(t, want, headerOf(r), which)
	assert.Equal(t, text, r.Cells[CellText], which)
}
