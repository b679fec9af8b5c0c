// Package events is the event source of the chapter "Before WebSocket: short
// polling and long polling", and the three ways to deliver it to a browser.
//
// One Log numbers events 1, 2, 3, … and keeps the most recent ones in a
// bounded ring. Each transport reads it by cursor: a client says "I have
// everything up to N" and gets exactly the events after N, so no event is
// lost or repeated, whatever the timing.
//
//   - GET /poll?since=N answers at once (short polling, which RFC 6202 §2.1
//     sets against long polling).
//   - GET /longpoll?since=N answers as soon as there is something to say, or
//     with [] after a timeout (long polling, RFC 6202 §2.1 and §2.2).
//   - GET /ws upgrades to WebSocket and pushes each event as one text
//     message (RFC 6455).
//   - POST /publish adds an event.
package events
