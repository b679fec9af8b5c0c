//go:build !linux

package main

import (
	"fmt"
	"os"
	"runtime"
)

// main explains that there is nothing to run: the server is built on
// epoll, which only Linux has (BSD and macOS have kqueue, Windows IOCP).
func main() {
	fmt.Fprintf(os.Stderr, "echo-epoll runs on Linux only: it waits on epoll (golang.org/x/sys/unix), which %s does not have; run handshake/echo instead\n", runtime.GOOS)
	os.Exit(1)
}
