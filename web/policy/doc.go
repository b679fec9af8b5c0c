// Package policy holds the two rules every server in the workbook applies at
// its edges, kept in a package of their own so that the runner (web/serve),
// the servers and the page's tap can share them without depending on each
// other: the origin policy that stops cross-site WebSocket hijacking
// (RFC 6455 §10.2), and the half-close drain that lets a peer read our close
// frame before the socket goes (§7.1.1).
//
// It belongs to the chapter "The opening handshake" (origins) and "Frames"
// (closing), and is used again in "Into production".
package policy
