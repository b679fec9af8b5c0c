// Command coder is the workbook's echo server on github.com/coder/websocket
// v1.8.15 (chapter "Which library should I pick?"), on the contract of
// package contract: one goroutine per connection, reading each message
// whole into a buffer the connection owns, then writing the echo as one
// frame. coder/websocket does not check that a text message is UTF-8, so,
// as echo-gorilla does for gorilla, the server checks and fails the
// connection with 1007 (RFC 6455 §8.1).
//
//	go run ./coder -addr 127.0.0.1:0
package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/websocket-in-go/workbook/handshake/perf/peers/contract"
)

func main() {
	ln, err := contract.Listen(contract.Addr("coder"))
	if err != nil {
		contract.Fatal("coder", err)
	}
	mux := http.NewServeMux()
	mux.Handle(contract.PathContract, echo(contract.PathContract))
	mux.Handle(contract.PathExact, echo(contract.PathExact))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-contract.Stopped()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		contract.Fatal("coder", err)
	}
}

// echo answers every message on path by the contract.
func echo(path string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Accept checks the Origin against the Host (a cross-site page is
		// refused with 403) and, by default, declines permessage-deflate.
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return // Accept has answered the request
		}
		defer c.CloseNow()
		c.SetReadLimit(contract.MaxMessage) // a bigger message: close 1009
		ctx := context.Background()
		var buf []byte // the reply; grows up to the largest message
		for {
			typ, rd, err := c.Reader(ctx)
			if err != nil {
				return // a close frame was answered, or the connection failed
			}
			text := typ == websocket.MessageText
			buf = buf[:0]
			if text && path == contract.PathContract {
				buf = append(buf, contract.Prefix...)
			}
			start := len(buf)
			if buf, err = readAll(rd, buf); err != nil {
				return // the library has failed the connection
			}
			if text && !utf8.Valid(buf[start:]) {
				_ = c.Close(websocket.StatusInvalidFramePayloadData, "text is not UTF-8")
				return
			}
			if err := c.Write(ctx, typ, buf); err != nil {
				return
			}
		}
	})
}

// readAll appends what rd has left to buf.
func readAll(rd io.Reader, buf []byte) ([]byte, error) {
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
