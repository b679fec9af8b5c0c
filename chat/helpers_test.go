package main

import (
	"cmp"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/chat/login"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

func TestMain(m *testing.M) { webtest.MainNoLeaks(m) }

// ioWait bounds every read a test makes, so a message that never comes
// fails the test instead of hanging it. It is well under writeWait, so a
// room that waited for a stalled member would fail it too.
const ioWait = 5 * time.Second

// startNATS starts one NATS server with JetStream for the test, in the
// process, as the chat does with -nats "".
func startNATS(t testing.TB) string {
	t.Helper()
	e, err := startEmbedded(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(e.stop)
	return e.url()
}

// startChat runs the chat in the test's process on a loopback port,
// connected to the NATS server(s) at natsURL.
func startChat(t testing.TB, natsURL string, args ...string) *webtest.Server {
	t.Helper()
	return webtest.Start(t, run, append([]string{"-nats", natsURL}, args...)...)
}

// freePorts returns n loopback ports that were free a moment ago.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// cluster is three NATS servers with JetStream, clustered over loopback
// routes, in the test's process.
type cluster struct {
	nodes []*server.Server
	urls  []string
}

// startCluster starts a three-node NATS cluster and waits until JetStream
// has a meta leader.
func startCluster(t testing.TB) *cluster {
	t.Helper()
	c := &cluster{}
	// The route ports come from freePorts, so another test running at the
	// same time can take one before its node binds it. Such a node never
	// becomes ready, and the cluster starts again on fresh ports. (Quietly:
	// the chapters record this package's verbose output.)
	var errs []error
	for len(errs) < 3 {
		nodes, err := startNodes(t, freePorts(t, 3), 10*time.Second)
		if err == nil {
			c.nodes = nodes
			break
		}
		errs = append(errs, err)
	}
	require.NotEmpty(t, c.nodes, "the cluster did not start: %v", errors.Join(errs...))
	for _, ns := range c.nodes {
		c.urls = append(c.urls, ns.ClientURL())
	}
	require.Eventually(t, func() bool {
		for _, ns := range c.nodes {
			if !ns.JetStreamIsCurrent() {
				return false
			}
		}
		return c.nodes[0].JetStreamIsClustered()
	}, 20*time.Second, 50*time.Millisecond, "JetStream cluster did not form")
	// The stream, with three replicas, as the chat creates it: a cluster
	// that has just formed may take seconds to place it, longer than a
	// chat server is given to start.
	b, err := connect(context.Background(), c.url(), 3, historyPerRoom)
	require.NoError(t, err)
	b.close()
	return c
}

// startNodes starts one clustered JetStream node on each route port and
// waits up to ready until every node accepts connections. If one does not,
// it shuts them all down and says which.
func startNodes(t testing.TB, routes []int, ready time.Duration) ([]*server.Server, error) {
	t.Helper()
	var all []string
	for _, p := range routes {
		all = append(all, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	var nodes []*server.Server
	stop := func() {
		for _, ns := range nodes {
			ns.Shutdown()
			ns.WaitForShutdown()
		}
	}
	for i, p := range routes {
		ns, err := server.NewServer(&server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       server.RANDOM_PORT,
			JetStream:  true,
			StoreDir:   filepath.Join(t.TempDir(), fmt.Sprint(i)),
			Cluster:    server.ClusterOpts{Name: "chat", Host: "127.0.0.1", Port: p},
			Routes:     server.RoutesFromStr(strings.Join(all, ",")),
			NoSigs:     true,
			NoLog:      true,
		})
		if err != nil {
			stop()
			return nil, err
		}
		ns.Start()
		nodes = append(nodes, ns)
	}
	for i, ns := range nodes {
		if !ns.ReadyForConnections(ready) {
			stop()
			return nil, fmt.Errorf("node n%d (route port %d) was not ready", i+1, routes[i])
		}
	}
	t.Cleanup(stop)
	return nodes, nil
}

// url is the comma-separated client URLs of every node.
func (c *cluster) url() string { return strings.Join(c.urls, ",") }

// wire is one message from the server, any type.
type wire struct {
	Type  string   `json:"type"`
	ID    uint64   `json:"id"`
	Room  string   `json:"room"`
	From  string   `json:"from"`
	Text  string   `json:"text"`
	Time  string   `json:"time"`
	Names []string `json:"names"`
}

// chatter is a Go client of the chat protocol.
type chatter struct {
	t    testing.TB
	conn *websocket.Conn
	wait time.Duration // for each read; ioWait if zero
}

// dial opens a chat socket at wsURL as the page does: a session, a
// ticket, then the handshake with ?ticket= (see dialWith).
func dial(t testing.TB, wsURL string) *chatter {
	t.Helper()
	return dialWith(t, &websocket.Dialer{HandshakeTimeout: ioWait}, wsURL, nil)
}

// dialWith opens a chat socket with d, sending header (an Origin, say)
// with the requests for the session and the ticket and with the handshake.
func dialWith(t testing.TB, d *websocket.Dialer, wsURL string, header http.Header) *chatter {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioWait)
	defer cancel()
	conn, resp, err := login.Dial(ctx, d, wsURL, header)
	require.NoError(t, err, "dialing %s", wsURL)
	resp.Body.Close()
	t.Cleanup(func() { conn.Close() })
	return &chatter{t: t, conn: conn}
}

// send sends v as JSON text.
func (c *chatter) send(v any) {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetWriteDeadline(time.Now().Add(ioWait)))
	require.NoError(c.t, c.conn.WriteJSON(v))
}

// join joins room as name (since, if not nil) and waits for the
// presence that lists want (the members the test expects by then).
func (c *chatter) join(room, name string, since *uint64) {
	c.t.Helper()
	m := map[string]any{"type": "join", "room": room, "name": name}
	if since != nil {
		m["since"] = *since
	}
	c.send(m)
}

// say says text.
func (c *chatter) say(text string) {
	c.t.Helper()
	c.send(map[string]string{"type": "say", "text": text})
}

// next reads the next message of the server, of any type.
func (c *chatter) next() wire {
	c.t.Helper()
	w, err := c.read()
	require.NoError(c.t, err)
	return w
}

// read reads the next message of the server within ioWait.
func (c *chatter) read() (wire, error) {
	var w wire
	_ = c.conn.SetReadDeadline(time.Now().Add(cmp.Or(c.wait, ioWait)))
	kind, data, err := c.conn.ReadMessage()
	if err != nil {
		return w, err
	}
	if kind != websocket.TextMessage {
		return w, fmt.Errorf("a message of kind %d", kind)
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return w, fmt.Errorf("not JSON: %q", data)
	}
	return w, nil
}

// nextOf reads until a message of type kind comes, skipping presence.
func (c *chatter) nextOf(kind string) wire {
	c.t.Helper()
	for {
		w := c.next()
		if w.Type == kind {
			return w
		}
		require.Equal(c.t, "presence", w.Type, "waiting for a %s, got %+v", kind, w)
	}
}

// waitPresence reads until a presence that lists exactly names comes
// (sorted), skipping messages.
func (c *chatter) waitPresence(names ...string) {
	c.t.Helper()
	for {
		w := c.next()
		if w.Type == "presence" && strings.Join(w.Names, ",") == strings.Join(names, ",") {
			return
		}
		require.NotEqual(c.t, "error", w.Type, "waiting for presence %v: %+v", names, w)
	}
}

// texts reads n chat messages (skipping presence) and returns them.
func (c *chatter) messages(n int) []wire {
	c.t.Helper()
	var got []wire
	for len(got) < n {
		got = append(got, c.nextOf("message"))
	}
	return got
}

// closeCode reads until the connection ends and returns the close code:
// 1006 (gorilla's CloseAbnormalClosure) if it ended without one.
func (c *chatter) closeCode() int {
	c.t.Helper()
	for {
		_, err := c.read()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			c.t.Fatalf("no close within %v", ioWait)
		}
		if err != nil {
			return 0
		}
	}
}

// textsOf returns the texts of ms.
func textsOf(ms []wire) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// numbered returns "prefix 0" ... "prefix n-1".
func numbered(prefix string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%s %d", prefix, i))
	}
	return out
}

// get fetches url and returns the response (body closed by the test's end).
func get(t testing.TB, url string) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// errorsAs is errors.As.
func errorsAs(err error, target any) bool { return errors.As(err, target) }

// itoa is strconv.Itoa.
func itoa(i int) string { return fmt.Sprint(i) }

// selfSignedFiles writes a certificate for localhost and its key as PEM
// files, for -tls-cert and -tls-key, and returns them with the parsed
// certificate (for a client's pool).
func selfSignedFiles(t testing.TB) (certFile, keyFile string, leaf *x509.Certificate) {
	t.Helper()
	cert, err := serve.SelfSigned()
	require.NoError(t, err)
	certPEM, keyPEM, err := serve.PEM(cert)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	return certFile, keyFile, cert.Leaf
}
