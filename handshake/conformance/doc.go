// Package conformance checks a WebSocket echo server against RFC 6455, in
// the style of the Autobahn TestSuite: the chapter "Three servers side by
// side".
//
// It speaks raw frames over TCP to any ws:// URL with a client of its own,
// written apart from package handshake on purpose: an oracle that shared
// code with the server it judges would share its mistakes too. Each case
// knows what the echo contract (text M → "Received: M", binary echoed) and
// the RFC require, and reports one of three outcomes:
//
//   - pass: the server did exactly what the RFC asks;
//   - non-strict: it protected itself but not in the RFC's words, e.g. it
//     dropped TCP without a close frame, or closed with another code;
//   - fail: it did something wrong, e.g. echoed a broken frame.
package conformance
