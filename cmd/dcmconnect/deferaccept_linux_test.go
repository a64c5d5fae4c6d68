package main

import (
	"net"
	"syscall"
	"testing"
)

// deferAccept makes the kernel hand the test demo's server a connection only
// once its first bytes arrive. Chromium opens sockets to the demo that it
// may never send a request on (a page's parallel loads get more connections
// than they end up using), and http.Server.Shutdown waits 5 s for such a
// connection before it takes it as idle: each browser test's demo took
// 5-6 s to stop. A request still gets a connection at once.
func deferAccept(t *testing.T, ln net.Listener) {
	t.Helper()
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return
	}
	raw, err := tl.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		// Seconds a connection may wait for its first bytes; the kernel
		// accepts it after that anyway. Longer than any one test.
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT, 600)
	}); err != nil {
		t.Fatal(err)
	}
	if serr != nil {
		t.Fatalf("TCP_DEFER_ACCEPT: %v", serr)
	}
}
