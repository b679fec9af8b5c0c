// Package auth is the section "Authenticating the handshake" of the
// chapter "What Go developers trip on": two ways to know who opens a
// WebSocket, each a working endpoint on gorilla/websocket.
//
//   - A session cookie, with the origin check. Browsers send cookies with a
//     WebSocket handshake from any page, so without the check any site can
//     open the socket as the user (cross-site WebSocket hijacking).
//   - A short-lived, single-use ticket: the page asks POST /ticket with its
//     session, then opens /ws/ticket?ticket=…. A replayed or expired ticket
//     gets 401 before the upgrade.
//
// A browser's WebSocket API cannot set an Authorization header, which is
// why these two (and a token in Sec-WebSocket-Protocol) are what people use.
package auth
