// Package events is the event source of the chapter "Before WebSocket: short
// polling and long polling", and the three ways to deliver it to a browser.
//
// One Log numbers events 1, 2, 3, … and keeps the most recent ones in a
// bounded ring. Each transport reads it by cursor: a client says "I have
// everything up to N" and gets the events after N, in order, none twice,
// whatever the timing. No event is lost silently: a cursor older than the
// ring gets what the ring still holds and is told exactly which ids are
// gone (the header X-Events-Lost: 6-81 beside the JSON array; on the
// WebSocket, a first message {"lost":{"from":6,"to":81}}; on the event
// stream, an event of type lost).
//
//   - GET /poll?since=N answers at once (short polling, which RFC 6202 §2.1
//     sets against long polling).
//   - GET /longpoll?since=N answers as soon as there is something to say, or
//     with [] after a timeout (long polling, RFC 6202 §2.1 and §2.2).
//   - GET /sse?since=N is a stream of Server-Sent Events (HTML Standard
//     §9.2): the server writes each event as "id: N" and "data: ..." on one
//     long response, and a browser's EventSource reconnects by itself,
//     sending Last-Event-ID: N to resume.
//   - GET /ws upgrades to WebSocket and pushes each event as one text
//     message (RFC 6455).
//   - POST /publish adds an event.
//
// Every answer is bounded, whatever the client asks: at most
// MaxAnswerEvents events and MaxAnswerBytes of JSON (the header
// X-Events-More: true says to ask again from the last id), written within
// a deadline. A WebSocket client far behind is sent the ring a page at a
// time; one that stops reading is dropped (close 1008), and one that has
// vanished is dropped when it misses its pong deadline. Cross-site pages may
// neither open the WebSocket or the event stream nor publish (403; see policy.Origins), and every
// refusal and failed connection is logged on one line.
package events
