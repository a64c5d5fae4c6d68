package main

import (
	"context"
	"fmt"

	"dcmconnect/api"
	"dcmconnect/supervisor"
)

// addSupervisor wires the supervisor page's methods: agents' presence, the
// jobs and the health of both upstreams, today's interactions. GetUserMap and
// SetUserMapping are wired in newApp with the user map.
func addSupervisor(a *app) error {
	health := []supervisor.HealthCheck{
		{Name: "Genesys Cloud", Check: func(ctx context.Context) error {
			_, err := a.gc.Token(ctx)
			return err
		}},
		{Name: "ServiceJourney", Check: a.ab.EnsureLogin},
	}
	if a.events != nil {
		health = append(health, supervisor.HealthCheck{Name: "Genesys Cloud notifications", Check: a.events.health})
	}
	svc, err := supervisor.New(supervisor.Options{
		Source:     supervisor.GenesysSource{Client: a.gc},
		Users:      a.users,
		Jobs:       a.jobStatus,
		Health:     health,
		Refresh:    a.cfg.UserMap.SupervisorRefresh,
		Registerer: a.reg,
	})
	if err != nil {
		return fmt.Errorf("supervisor methods: %w", err)
	}
	a.methods = append(a.methods, api.SupervisorMethods(svc, a.supervisors())...)
	return nil
}
