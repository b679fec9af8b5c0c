// Package chatjson is exercise 13 of the workbook "WebSocket in Go", for
// the chapter "Echo on x/net": typed JSON chat messages with
// websocket.JSON, and what to do with a message that is not one.
package chatjson
