package main

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// ANCHOR: listen

// listen opens a non-blocking listening socket on an IPv4 address with
// SO_REUSEPORT: every process that sets it may bind the same port, and the
// kernel spreads new connections over them by a hash of the peer's address
// and port. It returns the socket and the port it got (for port 0).
func listen(addr string) (fd, port int, err error) {
	tcp, err := net.ResolveTCPAddr("tcp4", addr)
	if err != nil {
		return -1, 0, err
	}
	flags := unix.SOCK_STREAM | unix.SOCK_NONBLOCK | unix.SOCK_CLOEXEC
	fd, err = unix.Socket(unix.AF_INET, flags, 0)
	if err != nil {
		return -1, 0, fmt.Errorf("socket: %w", err)
	}
	sa := &unix.SockaddrInet4{Port: tcp.Port}
	copy(sa.Addr[:], tcp.IP.To4())
	for _, opt := range []int{unix.SO_REUSEADDR, unix.SO_REUSEPORT} {
		if err = unix.SetsockoptInt(fd, unix.SOL_SOCKET, opt, 1); err != nil {
			unix.Close(fd)
			return -1, 0, fmt.Errorf("setsockopt: %w", err)
		}
	}
	if err = unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return -1, 0, fmt.Errorf("bind %s: %w", addr, err)
	}
	// The backlog is capped by net.core.somaxconn (4096 here): connections
	// the kernel has completed and that wait for accept.
	if err = unix.Listen(fd, 4096); err != nil {
		unix.Close(fd)
		return -1, 0, fmt.Errorf("listen: %w", err)
	}
	got, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return -1, 0, err
	}
	return fd, got.(*unix.SockaddrInet4).Port, nil
}

// ANCHOR_END: listen
