package proxy

import (
	"bufio"
	"crypto/tls"
	_ "embed"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// NginxConf is the nginx configuration of the chapter (nginx.conf in this
// package), a text/template with two fields: see Site.
//
//go:embed nginx.conf
var NginxConf string

// Site is what NginxConf is rendered with.
type Site struct {
	// Listen is the address nginx listens on, e.g. 127.0.0.1:8080.
	Listen string
	// Upstreams are the host:port of each WebSocket server behind nginx.
	Upstreams []string
	// CertFile and KeyFile, if set, make nginx speak https:// and wss://
	// with this PEM certificate and key.
	CertFile, KeyFile string
}

// Render fills in conf (NginxConf, or a variant of it) for site.
func Render(conf string, site Site) (string, error) {
	tmpl, err := template.New("nginx.conf").Option("missingkey=error").Parse(conf)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, site); err != nil {
		return "", err
	}
	return b.String(), nil
}

// NginxPath returns the nginx binary to run: $NGINX if set (and "" if
// that is not an executable, so that NGINX=none shows what a machine
// without nginx does), else nginx on PATH, else /usr/sbin/nginx (Debian's,
// not on a normal user's PATH), else "".
func NginxPath() string {
	if p := os.Getenv("NGINX"); p != "" {
		if p, err := exec.LookPath(p); err == nil {
			return p
		}
		return ""
	}
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	return ""
}

// nginxStart bounds how long nginx may take to start its worker.
const nginxStart = 15 * time.Second

// nginxTries is how many free ports StartNginx tries: the port it picks is
// free when it looks, and another test may take it before nginx binds it.
const nginxTries = 5

// ANCHOR: main

// mainConf is the rest of nginx's configuration, around the site: what
// /etc/nginx/nginx.conf would say, but for a test. nginx stays in the
// foreground (so the test owns the process), logs to its stderr (so the
// test shows what went wrong), and keeps every file in the test's own
// directory (prefix), never in /var.
const mainConf = `daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log stderr notice;
%[2]s
events {
    worker_connections 256;
}

http {
    access_log %[1]s/access.log;
    client_body_temp_path %[1]s/client_body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;

    include %[1]s/site.conf;
}
`

// ANCHOR_END: main

// Nginx is an nginx started by StartNginx.
type Nginx struct {
	// URL is where it listens: http://127.0.0.1:PORT, or https://.
	URL string
	// Conf is the site configuration it runs, rendered.
	Conf string
	// Prefix is its directory: configuration, pid, access log.
	Prefix string
}

// Host returns the host:port of URL.
func (n *Nginx) Host() string { _, host, _ := strings.Cut(n.URL, "://"); return host }

// WS returns the URL of the WebSocket endpoint behind nginx:
// ws://HOST:PORT/ws, or wss://.
func (n *Nginx) WS() string { return "ws" + strings.TrimPrefix(n.URL, "http") + "/ws" }

// StartNginx runs nginx on a loopback port, in front of the servers at
// upstreams (host:port each; one at least), with the chapter's
// configuration, NginxConf. It skips the test if nginx is not installed,
// or fails it under CI=true. nginx is stopped when the test ends.
func StartNginx(t testing.TB, upstreams ...string) *Nginx {
	t.Helper()
	return StartNginxConf(t, NginxConf, upstreams...)
}

// StartNginxTLS is StartNginx speaking https:// and wss:// with cert (e.g.
// serve.SelfSigned's) to its clients, and plain HTTP to the servers.
func StartNginxTLS(t testing.TB, cert *tls.Certificate, upstreams ...string) *Nginx {
	t.Helper()
	certPEM, keyPEM, err := serve.PEM(cert)
	require.NoError(t, err)
	dir := t.TempDir()
	site := Site{Upstreams: upstreams, CertFile: filepath.Join(dir, "cert.pem"), KeyFile: filepath.Join(dir, "key.pem")}
	require.NoError(t, os.WriteFile(site.CertFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(site.KeyFile, keyPEM, 0o600))
	return startNginx(t, NginxConf, site)
}

// StartNginxConf is StartNginx with another site configuration: a
// text/template like NginxConf (fields of Site).
func StartNginxConf(t testing.TB, conf string, upstreams ...string) *Nginx {
	t.Helper()
	return startNginx(t, conf, Site{Upstreams: upstreams})
}

// startNginx starts nginx with conf rendered for site, on a free port.
func startNginx(t testing.TB, conf string, site Site) *Nginx {
	t.Helper()
	require.NotEmpty(t, site.Upstreams, "nginx needs a server to proxy to")
	bin := NginxPath()
	webtest.RequireTool(t, bin != "", "nginx", "apt-get install -y nginx")
	var lastErr string
	for range nginxTries {
		n, started, errText := tryNginx(t, bin, conf, site)
		if started {
			return n
		}
		lastErr = errText
		if !strings.Contains(errText, "Address already in use") {
			break
		}
	}
	t.Fatalf("nginx did not start:\n%s", lastErr)
	return nil
}

// tryNginx starts nginx once, on a port that was free a moment ago. It
// reports whether nginx started its worker, and otherwise what it said.
func tryNginx(t testing.TB, bin, conf string, site Site) (*Nginx, bool, string) {
	t.Helper()
	prefix := t.TempDir()
	site.Listen = freePort(t)
	rendered, err := Render(conf, site)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(prefix, "site.conf"), []byte(rendered), 0o644))
	user := ""
	if os.Geteuid() == 0 {
		// As root, nginx runs its worker as nobody, who may not enter
		// the test's directory (0700) for its temporary files.
		user = "user root;"
	}
	confPath := filepath.Join(prefix, "nginx.conf")
	require.NoError(t, os.WriteFile(confPath, fmt.Appendf(nil, mainConf, prefix, user), 0o644))

	// -e stderr: the log nginx writes before it has read its configuration.
	cmd := exec.Command(bin, "-p", prefix, "-c", confPath, "-e", "stderr")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	said := make(chan string, 1)
	ready := make(chan struct{})
	go func() {
		var all strings.Builder
		lines := bufio.NewScanner(stderr)
		readySent := false
		for lines.Scan() {
			all.WriteString(lines.Text() + "\n")
			// The master has bound its port before it starts a worker.
			if !readySent && strings.Contains(lines.Text(), "start worker process") {
				readySent = true
				close(ready)
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		said <- all.String()
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	select {
	case <-ready:
	case err := <-exited:
		return nil, false, fmt.Sprintf("%v\n%s", err, <-said)
	case <-time.After(nginxStart):
		_ = cmd.Process.Kill()
		<-exited
		return nil, false, fmt.Sprintf("no worker within %v\n%s", nginxStart, <-said)
	}
	t.Cleanup(func() {
		// SIGTERM is nginx's fast shutdown: the master stops its worker,
		// open WebSockets and all, and exits.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(nginxStart):
			_ = cmd.Process.Kill()
			<-exited
		}
		if log := <-said; t.Failed() {
			t.Logf("nginx's log:\n%s", log)
		}
	})
	scheme := "http://"
	if site.CertFile != "" {
		scheme = "https://"
	}
	return &Nginx{URL: scheme + site.Listen, Conf: rendered, Prefix: prefix}, true, ""
}

// freePort returns a loopback address whose port was free when it looked.
func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
