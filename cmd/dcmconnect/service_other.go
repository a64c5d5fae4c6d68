//go:build !windows

package main

import "context"

// runService is the Windows service hook; elsewhere a service manager
// (systemd, Kubernetes) runs the process directly and signals it.
func runService(func(ctx context.Context) error) (bool, error) { return false, nil }
