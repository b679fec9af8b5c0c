// Package tap is the wire tap under every server in the workbook, and the
// frame inspector of the shared page that it feeds: the chapter "The shared
// browser client" explains how it works, and the chapters "The opening
// handshake" and "Frames" use it ("type Hello, and look").
//
// A page's JavaScript cannot see frames: the browser hands it messages. So
// the server reports what crossed the wire. Listen wraps the listener, so
// that every connection is a Conn that sees the bytes read and written,
// below net/http and below whichever WebSocket library the server uses
// (the by-hand package handshake, gorilla, x/net): the same tap works
// unchanged under all three. A connection that is being inspected feeds
// its bytes to a parser made of package handshake's own frame code, and
// the parser sends one Record per frame, and one for the handshake, to the
// page's inspector.
//
// Only the page's own connection can be inspected. The page asks for a
// token (POST /inspect/new), opens its echo socket with ?inspect=TOKEN,
// and watches at /inspect?token=TOKEN: the token is 128 random bits, binds
// one connection and one inspector, and is gone when either ends. A
// WebSocket without a token is handed the bare TCP connection when its
// library hijacks it, and costs the tap nothing from then on.
package tap
