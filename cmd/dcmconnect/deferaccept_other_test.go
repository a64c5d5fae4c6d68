//go:build !linux

package main

import (
	"net"
	"testing"
)

// deferAccept is Linux's TCP_DEFER_ACCEPT (deferaccept_linux_test.go); elsewhere
// the demo's shutdown may wait for a browser's unused connections.
func deferAccept(t *testing.T, ln net.Listener) {}
