// Package handshake is RFC 6455 written out by hand: the chapters "The
// opening handshake", "Frames", "Compression" and "WebSocket over HTTP/2"
// of the workbook.
//
// Nothing is hidden behind a library. The files follow the RFC:
//
//	accept.go    §4.2.2  the Sec-WebSocket-Accept value
//	upgrade.go   §4.2.1  the server reads and checks the handshake, answers 101
//	dial.go      §4.1    the client sends the handshake and checks the answer
//	frame.go     §5.2    the frame header, bit by bit
//	mask.go      §5.3    client-to-server masking, the rule written plainly
//	mask_words.go §5.3   the same rule eight bytes at a time, which the frames use
//	pool.go      message and frame buffers by size class, never two owners at once
//	conn.go      the Conn: what each side holds, and who may touch it
//	read.go      §5.4–5.5 messages, fragments, ping and pong, the limits
//	write.go     §5.3 frames out, one at a time, within a deadline
//	bound.go     how long a write may wait: a deadline, or a timeout that reads the clock only to wait
//	lend.go      the message just read, framed in place when a server writes it back
//	keepalive.go §5.5.2 ping, and a deadline that drops a vanished peer
//	close.go     §7.4 the close codes
//	closing.go   §5.5.1, §7.1 the closing handshake, and failing a connection
//	negotiate.go RFC 7692 §5, §7.1 permessage-deflate: the offer and the answer
//	deflate.go   RFC 7692 §6, §7.2 compressing and inflating messages, RSV1
//	h2.go        RFC 8441 §5 the handshake over HTTP/2: an extended CONNECT, answered 200
//	stream.go    RFC 8441 §5 an HTTP/2 stream as the Conn's connection, with deadlines of its own
//	dialh2.go    RFC 8441 §5 the client's extended CONNECT
//
// A Conn is what both sides get once the handshake is done. It reads whole
// messages (reassembling fragments, answering pings on the way) and fails
// the connection with the close code the RFC asks for when the peer breaks
// a rule. With permessage-deflate negotiated (Options.Compression,
// Dialer.Compression) it inflates and compresses messages on the way. The
// by-hand echo server in handshake/echo is built on it.
package handshake
