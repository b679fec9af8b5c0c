//go:build !linux

package main

import (
	"fmt"
	"os"
	"runtime"
)

// main explains that the measurement reads /proc and runs echo-epoll, both
// Linux only.
func main() {
	fmt.Fprintf(os.Stderr, "hold runs on Linux only: it measures echo-epoll (epoll) through /proc, which %s does not have\n", runtime.GOOS)
	os.Exit(1)
}
