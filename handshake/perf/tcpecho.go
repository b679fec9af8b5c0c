package main

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
)

// tcpEchoFlag makes this program the raw TCP echo server instead: the
// baseline that every WebSocket server is compared with.
const tcpEchoFlag = "-serve-tcp-echo"

// serveTCPEcho echoes every byte on every connection until SIGTERM.
func serveTCPEcho() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
		<-stop
		os.Exit(0)
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go echo(conn)
	}
}

// echo is the plainest echo: read, write back. (Not io.Copy: between two
// TCP connections it splices through a kernel pipe, which adds latency to
// every small message and would make a poor baseline.) Its buffer starts
// at 64 bytes, so an idle connection costs little, and grows to 64 KiB the
// first time a read fills it, so big messages cost few system calls.
func echo(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 64)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		if _, err := conn.Write(buf[:n]); err != nil {
			return
		}
		if n == len(buf) && len(buf) < 64<<10 {
			buf = make([]byte, 64<<10)
		}
	}
}
