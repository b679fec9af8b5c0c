package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/websocket-in-go/workbook/handshake/conformance"
)

// ANCHOR: servers

// server is one WebSocket echo server that perf builds and measures, on the
// contract of the workbook's own three: GET /ws echoes a binary message
// unchanged, and the process prints "listening on http://HOST:PORT" and
// exits on SIGTERM.
type server struct {
	name string
	// module is the directory of the go.mod that builds it, relative to the
	// workbook's root: "" for the workbook's own module.
	module string
	pkg    string   // the main package, relative to module
	args   []string // besides -addr 127.0.0.1:0
}

// peersModule is the separate Go module of the libraries that are only
// measured, so that the workbook's go.mod does not depend on them.
const peersModule = "handshake/perf/peers"

// servers are measured in this order, after the raw TCP echo. To measure
// another server, add it here: a main package in either module that keeps
// the contract (and takes -addr 127.0.0.1:0).
var servers = append(workbookServers(),
	// The by-hand protocol on one epoll loop instead of a goroutine per
	// connection (Linux only; elsewhere it exits, and perf says so).
	server{"echo-epoll (by hand, epoll)", "", "./handshake/echo-epoll", nil},
	server{"coder/websocket v1.8.15", peersModule, "./coder", nil},
	server{"gobwas/ws v1.5.0 (low-level)", peersModule, "./gobwas", nil},
	server{"nbio v1.6.8 (epoll)", peersModule, "./nbio", nil},
	server{"nbio v1.6.8 (epoll, -inline)", peersModule, "./nbio", []string{"-inline"}},
)

// ANCHOR_END: servers

// workbookServers are the book's three servers, as the conformance suite
// names them.
func workbookServers() []server {
	var out []server
	for _, s := range conformance.Servers {
		out = append(out, server{name: s.Name, pkg: s.Package})
	}
	return out
}

// build compiles s into dir and returns the binary's path. A server whose
// module is missing or does not build returns an error that says so; perf
// then measures the others.
func (s server) build(root, dir string) (string, error) {
	moduleDir := filepath.Join(root, s.module)
	if _, err := os.Stat(filepath.Join(moduleDir, "go.mod")); err != nil {
		return "", fmt.Errorf("no module at %s: %v", moduleDir, err)
	}
	bin := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "-", "(", "", ")", "").Replace(s.name))
	cmd := exec.Command("go", "build", "-o", bin, s.pkg)
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s in %s: %v\n%s", s.pkg, moduleDir, err, out)
	}
	return bin, nil
}
