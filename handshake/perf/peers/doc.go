// Package peers is the root of a Go module of its own: the echo servers the
// workbook measures but does not depend on. Each is an exact echo on the
// contract of the workbook's own servers (package contract), on one of the
// libraries a reader might pick instead of writing RFC 6455 by hand:
//
//	coder   github.com/coder/websocket v1.8.15 (what x/net's documentation points to)
//	gobwas  github.com/gobwas/ws v1.5.0, its low-level API (ws.Upgrader, wsutil.Reader)
//	nbio    github.com/lesismal/nbio v1.6.8, nbhttp/websocket on its epoll engine
//
// They belong to the chapter "Which library should I pick?": the
// measurement command handshake/perf builds them from this directory and
// measures them in the same table as the by-hand, gorilla and x/net
// servers. Keeping them here keeps the workbook's go.mod free of them.
package peers
