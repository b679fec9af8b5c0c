package main

// connState is where a connection is in its life.
type connState uint8

const (
	stateHandshake connState = iota // reading the opening handshake
	stateOpen                       // reading frames, echoing messages
	stateClosing                    // our close frame (or an HTTP error) is queued: write it, then drain
	stateDraining                   // our side is shut down; discarding input until the peer closes
	stateClosed                     // the socket is closed; the struct is garbage
)

// ANCHOR: conn

// conn is everything the server keeps for one connection: about 100 bytes
// while it is idle, because in, msg and out are nil then. The kernel keeps
// the socket; no goroutine waits on it.
type conn struct {
	fd      int32
	state   connState
	exact   bool   // /echo: echo text unchanged, without "Received: "
	msgOp   uint8  // opcode of the open fragmented message; 0 if none
	events  uint32 // what epoll watches for: EPOLLIN, or EPOLLOUT while out is pending
	busyAt  int32  // index in loop.busy; -1 when the connection waits for nothing
	outOff  int32  // bytes of out already written
	expires int64  // unix nanoseconds: when a busy connection is given up on

	in  *[]byte // bytes read but not yet used: part of a request head or of a frame
	msg *[]byte // the fragments of an open message so far
	out *[]byte // bytes the peer has not taken yet (the socket's send buffer was full)
}

// ANCHOR_END: conn

// busy reports whether the connection waits for something that must come
// within a deadline: a handshake, the rest of a frame or message, the peer
// reading our bytes, the peer's close.
func (c *conn) busy() bool {
	return c.state != stateOpen || c.in != nil || c.msg != nil || c.out != nil
}

// release gives back every buffer the connection owns.
func (c *conn) release() {
	for _, b := range []**[]byte{&c.in, &c.msg, &c.out} {
		if *b != nil {
			putBuf(*b)
			*b = nil
		}
	}
	c.outOff = 0
}
