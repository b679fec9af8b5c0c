// Package steps holds the programs of the chapter "Before WebSocket: short
// polling and long polling" in the order the chapter grows them, each a
// whole program in its own folder: 1-short, 2-long and 3-push; the final
// program is the polling lab itself. The test here runs every step,
// publishes events and counts, from the client's side, the requests and
// bytes each event costs.
package steps
