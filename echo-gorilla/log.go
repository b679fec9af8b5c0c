package main

import (
	"errors"
	"net"
	"net/http"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/serve"
)

// closeAbnormal is the code of RFC 6455 §7.4.1 for a connection that ended
// without a close frame. It is never sent; it is what the log says.
const closeAbnormal = websocket.CloseAbnormalClosure

// ANCHOR: log-refused

// refuse answers a handshake that Upgrade refused (400, 403, 405, 426) as
// gorilla would without it, and logs one line about it first.
func refuse(w http.ResponseWriter, r *http.Request, status int, reason error) {
	why := reason.Error()
	if origin := r.Header.Get("Origin"); origin != "" && status == http.StatusForbidden {
		why += " (Origin " + origin + ")"
	}
	serve.LogRefused(r, status, why)
	w.Header().Set("Sec-Websocket-Version", "13")
	http.Error(w, http.StatusText(status), status)
}

// ANCHOR_END: log-refused

// ANCHOR: ended

// ended logs the error that ended the echo loop, if it is a failure. A
// close frame with 1000, 1001 or no code is a normal end (gorilla has
// answered it). Anything else is one line: the peer's error code, a peer
// that vanished or stopped reading, or a protocol error for which gorilla
// itself has sent close 1002.
func ended(conn *websocket.Conn, err error, reads *readDeadline) {
	remote := conn.RemoteAddr().String()
	var ce *websocket.CloseError
	var ne net.Error // gorilla hides a timeout's cause, but it is a net.Error
	switch {
	case errors.As(err, &ce) && ce.Code == websocket.CloseAbnormalClosure:
		serve.LogFailed(remote, closeAbnormal, "connection closed without a close frame")
	case errors.As(err, &ce):
		if ce.Code != websocket.CloseNormalClosure && ce.Code != websocket.CloseGoingAway && ce.Code != websocket.CloseNoStatusReceived {
			serve.LogFailed(remote, ce.Code, ce.Error())
		}
	case errors.Is(err, errPong):
		serve.LogFailed(remote, closeAbnormal, "write failed (has the peer stopped reading?): "+err.Error())
	case errors.As(err, &ne) && ne.Timeout() && reads.saidGoodbye():
		serve.LogFailed(remote, closeAbnormal, "no close frame in answer to ours")
	case errors.As(err, &ne) && ne.Timeout():
		serve.LogFailed(remote, closeAbnormal, "no frame within pongWait")
	case errors.As(err, &ne):
		serve.LogFailed(remote, closeAbnormal, err.Error())
	default:
		serve.LogFailed(remote, websocket.CloseProtocolError, err.Error())
	}
}

// ANCHOR_END: ended

// saidGoodbye reports whether goingAway has run.
func (d *readDeadline) saidGoodbye() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}
