// Command measure prints the table of bytes saved in the chapter
// "Compression": the same messages echoed by the by-hand server with
// permessage-deflate off, on without context takeover, and on with it,
// counted on the wire (frame headers included) as the server writes them.
//
//	go run ./handshake/deflate/measure > handshake/deflate/measure/results.md
//
// The payloads are deterministic: JSON events from a fixed formula, random
// bytes from a seeded generator, and English text, the workbook's own
// chapters, chapters/*.md (run it from the module's root). Every message
// is compressed (Threshold -1), to show what compression does to each size.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/websocket-in-go/workbook/handshake"
)

// messages is how many messages of each payload are echoed.
const messages = 200

func main() {
	text, err := filepath.Glob("chapters/*.md")
	if err == nil && len(text) == 0 {
		err = errors.New("no chapters/*.md here: run it from the module's root")
	}
	if err == nil {
		err = run(os.Stdout, text)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

// payload is one row of the table: a name and its messages.
type payload struct {
	name string
	msgs [][]byte
}

func run(w io.Writer, textFiles []string) error {
	var text []byte
	for _, f := range textFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		text = append(text, b...)
	}
	payloads := []payload{
		{"JSON events, 128 B", split(jsonEvents(messages*128), 128)},
		{"JSON events, 1 KiB", split(jsonEvents(messages*1024), 1024)},
		{"English text, 1 KiB", split(text[:min(len(text), messages*1024)/1024*1024], 1024)},
		{"random bytes, 1 KiB", split(randomBytes(messages*1024), 1024)},
	}
	modes := []struct {
		name string
		cfg  *handshake.Compression
	}{
		{"off", nil},
		{"no context takeover", &handshake.Compression{Threshold: -1}},
		{"context takeover", &handshake.Compression{ContextTakeover: true, Threshold: -1}},
	}

	fmt.Fprintln(w, "| payload | messages | off | no context takeover | context takeover |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: |")
	for _, p := range payloads {
		fmt.Fprintf(w, "| %s | %d |", p.name, len(p.msgs))
		var off int64
		for _, m := range modes {
			n, err := wireBytes(m.cfg, p.msgs)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", p.name, m.name, err)
			}
			if m.cfg == nil {
				off = n
				fmt.Fprintf(w, " %s B |", comma(n))
				continue
			}
			fmt.Fprintf(w, " %s B (%.0f%%) |", comma(n), 100*float64(n)/float64(off))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// countingConn counts the bytes the server writes.
type countingConn struct {
	net.Conn
	written *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return n, err
}

type countingListener struct {
	net.Listener
	written *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.written}, nil
}

// wireBytes echoes msgs through a by-hand server that negotiates cfg (nil:
// off) with a client that offers the same, and returns the bytes of the
// echoes on the wire: what the server wrote after its 101.
func wireBytes(cfg *handshake.Compression, msgs [][]byte) (int64, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	var written atomic.Int64
	echoed := make(chan int64, 1) // the bytes of len(msgs) echoes, counted by the server
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := handshake.Upgrade(w, r, &handshake.Options{Compression: cfg, PongWait: -1})
		if err != nil {
			return
		}
		defer c.Close()
		start := written.Load()
		for range msgs {
			op, msg, err := c.ReadMessage()
			if err != nil || c.WriteMessage(op, msg) != nil {
				return
			}
		}
		echoed <- written.Load() - start
	})}
	go srv.Serve(countingListener{ln, &written})
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, _, err := (&handshake.Dialer{Compression: cfg}).Dial(ctx, "ws://"+ln.Addr().String()+"/")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	for _, m := range msgs {
		if err := c.WriteMessage(handshake.OpBinary, m); err != nil {
			return 0, err
		}
		_, got, err := c.ReadMessage()
		if err != nil {
			return 0, err
		}
		if string(got) != string(m) {
			return 0, errors.New("an echo differs from its message")
		}
	}
	return <-echoed, nil
}

// jsonEvents is n bytes of JSON events that differ from one another, as a
// live feed's do.
func jsonEvents(n int) []byte {
	var b []byte
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, `{"seq":%d,"user":"u%d","price":%d.%02d,"side":%q}`+"\n", i, i*7919%1009, i*104729%9973, i*31%100, []string{"buy", "sell"}[i*13%7%2])
	}
	return b[:n]
}

// randomBytes is n bytes from a generator with a fixed seed.
func randomBytes(n int) []byte {
	r := rand.NewChaCha8([32]byte{'w', 'o', 'r', 'k', 'b', 'o', 'o', 'k'})
	b := make([]byte, n)
	_, _ = r.Read(b)
	return b
}

// split cuts b into messages of size bytes.
func split(b []byte, size int) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		n := min(size, len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// comma writes n with thousands separators.
func comma(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
