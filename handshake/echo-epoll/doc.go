// Command echo-epoll is the by-hand echo server of the chapter "100,000
// connections": the same echo contract as handshake/echo (GET /ws answers a
// text message M with "Received: M", GET /echo echoes exactly), on the same
// frame code (package handshake's ParseFrameHeader, ApplyMask,
// ParseCloseBody, AcceptKey), but without a goroutine per connection.
//
// One process runs one readiness loop: epoll tells it which sockets have
// bytes, it reads them into one scratch buffer, and only a connection that
// is in the middle of something (a handshake, half a frame, an echo the
// peer has not read yet, a closing handshake) owns memory beyond its small
// state struct. An idle connection is about 100 bytes of Go memory and a
// socket in the kernel. The listening socket has SO_REUSEPORT, so several
// processes share one port, one loop each: how such servers use every core,
// and how they get past a per-process limit on open files.
//
//	go run ./handshake/echo-epoll -addr 127.0.0.1:1234     # then start more on the same port
//
// It is Linux only (epoll, through golang.org/x/sys/unix); elsewhere it says
// so and exits 1. It speaks nothing but the WebSocket handshake: no page, no
// compression (the 101 names no extension, so RSV1 fails with 1002). With
// -tls-cert/-tls-key or -tls-self-signed it serves wss:// through a TLS
// front of two goroutines per connection before the loop (tls_linux.go):
// crypto/tls cannot run inside a readiness loop.
// Command echo-epoll/hold measures its memory per connection.
package main
