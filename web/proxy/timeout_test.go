package proxy

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ANCHOR: read_timeout

// TestNginxReadTimeout shows why proxy_read_timeout must be longer than
// the server's ping period. With the tested configuration's timeout cut to
// 1 s, the server below stays silent for 3 s, then says "still here":
// without pings nginx has closed the connection long before (the client
// reads an abnormal closure, 1006, with no close frame); with a ping every
// 250 ms, nginx sees traffic and the message arrives.
func TestNginxReadTimeout(t *testing.T) {
	const silence = 3 * time.Second
	short := strings.Replace(NginxConf, "proxy_read_timeout 120s;",
		"proxy_read_timeout 1s;", 1)
	require.NotEqual(t, NginxConf, short, "nginx.conf has no proxy_read_timeout 120s")

	up := websocket.Upgrader{}
	backend := StartGo(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		// Read, so that the client's pongs are consumed (unread bytes
		// would make the close a TCP reset), until the connection ends.
		gone := make(chan struct{})
		go func() {
			defer close(gone)
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}()
		var tick <-chan time.Time
		if r.URL.Query().Get("ping") == "yes" {
			ticker := time.NewTicker(250 * time.Millisecond)
			defer ticker.Stop()
			tick = ticker.C
		}
		quiet := time.After(silence)
		for {
			select {
			case <-tick:
				if c.WriteControl(websocket.PingMessage, nil,
					time.Now().Add(ioTimeout)) != nil {
					return
				}
			case <-quiet:
				_ = c.WriteMessage(websocket.TextMessage, []byte("still here"))
				<-gone // the client closes when it has read it
				return
			case <-gone:
				return
			}
		}
	}))
	n := StartNginxConf(t, short, backend.Host())

	cases := []struct {
		name, query string
		alive       bool
	}{
		{"a silent server", "", false},
		{"a server that pings", "?ping=yes", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := websocket.Dialer{HandshakeTimeout: ioTimeout}
			c, _, err := d.Dial(n.WS()+tc.query, nil)
			require.NoError(t, err)
			defer c.Close()
			require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
			_, msg, err := c.ReadMessage()
			if tc.alive {
				require.NoError(t, err, "nginx closed a connection that had pings")
				assert.Equal(t, "still here", string(msg))
				return
			}
			require.Error(t, err, "the message came through a silent connection")
			assert.True(t, websocket.IsCloseError(err, websocket.CloseAbnormalClosure),
				"nginx closes the TCP connection, without a close frame: %v", err)
		})
	}
}

// ANCHOR_END: read_timeout
