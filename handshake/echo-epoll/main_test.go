//go:build linux

package main

import (
	"os"
	"testing"

	"github.com/websocket-in-go/workbook/handshake/conformance"
)

// bin is the server, built once for every test that runs it as a process.
var bin string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		root, err := conformance.ModuleRoot()
		if err != nil {
			panic(err)
		}
		dir, err := os.MkdirTemp("", "echo-epoll-test")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(dir)
		bin, err = conformance.Server{Name: "echo-epoll", Package: "./handshake/echo-epoll"}.Build(root, dir)
		if err != nil {
			panic(err)
		}
		return m.Run()
	}())
}
