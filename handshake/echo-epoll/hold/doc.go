// Command hold measures what idle WebSocket connections cost a server, for
// the chapter "100,000 connections". It builds the servers, starts them as
// processes (echo-epoll as several processes sharing one port with
// SO_REUSEPORT), opens 1,000, 10,000 and 100,000 connections to them from
// client processes of its own (each from its own loopback address,
// 127.0.0.2, 127.0.0.3, …, since one source address has about 28,000
// ephemeral ports), and at each count reads every server process's VmRSS
// and open descriptors from /proc. It reports the memory above each
// process's baseline per connection, and the time a new connection takes
// to be upgraded and to get its first echo. It writes a Markdown table and
// an SVG figure, both generated from the run:
//
//	go run ./handshake/echo-epoll/hold    # from the module root; about two minutes
//
// A goroutine-per-connection server is one process, so it is measured up
// to the open-file limit (`ulimit -Hn`, 20,000 here), and the run records
// what happens at that wall. Linux only: it reads /proc.
package main
