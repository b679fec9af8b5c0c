package serve

import (
	"net/http"
	"time"
)

// ANCHOR: extend

// ExtendWriteDeadline gives the response w until d from now to be written,
// in place of the WriteTimeout that serve.Server set when the request
// arrived. A handler that waits on purpose before it answers calls it
// first: a long poll that may wait 30 s calls
//
//	serve.ExtendWriteDeadline(w, timeout+serve.WriteTimeout)
//
// so that the wait is allowed and the write after it is still bounded. It
// returns http.ErrNotSupported if w cannot set deadlines (a ResponseWriter
// wrapped without an Unwrap method, or httptest.ResponseRecorder): a test
// of the handler alone may ignore that.
func ExtendWriteDeadline(w http.ResponseWriter, d time.Duration) error {
	return http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
}

// ANCHOR_END: extend
