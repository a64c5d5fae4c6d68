//go:build windows

package main

import (
	"context"

	"golang.org/x/sys/windows/svc"
)

// serviceName is the name to register with `sc.exe create dcmconnect
// binPath= "C:\dcmconnect\dcmconnect.exe --config C:\dcmconnect\dcmconnect.yaml"`.
const serviceName = "dcmconnect"

// runService runs the command under the Windows service manager when the
// process was started by it, so dcmconnect can replace the old IIS install
// on the same Windows server. It reports handled=false for an interactive start.
func runService(main func(ctx context.Context) error) (handled bool, err error) {
	isService, err := svc.IsWindowsService()
	if err != nil || !isService {
		return false, err
	}
	return true, svc.Run(serviceName, &serviceHandler{main: main})
}

type serviceHandler struct {
	main func(ctx context.Context) error
}

// Execute runs main until the service manager asks to stop or shut down;
// main then gets the same graceful shutdown as on SIGTERM.
func (h *serviceHandler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.main(ctx) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case err := <-done:
			status <- svc.Status{State: svc.StopPending}
			if err != nil {
				return true, 1
			}
			return false, 0
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending}
				cancel()
			}
		}
	}
}
