package main

import (
	"context"
	"fmt"

	"dcmconnect/api"
)

// The supervisor page's methods: agents' presence, the jobs and the health of
// both upstreams, today's interactions. GetUserMap and SetUserMapping are
// wired in newApp with the user map.
func init() { features = append(features, addSupervisor) }

func addSupervisor(a *app) error {
	methods, err := api.SupervisorMethods(api.SupervisorOptions{
		Supervisors: a.supervisors(),
		Source:      api.GenesysSupervisorSource{Client: a.gc},
		Users:       a.users,
		Jobs:        a.jobStatus,
		Health: []api.HealthCheck{
			{Name: "Genesys Cloud", Check: func(ctx context.Context) error {
				_, err := a.gc.Token(ctx)
				return err
			}},
			{Name: "ServiceJourney", Check: a.ab.EnsureLogin},
		},
		Refresh:    a.cfg.UserMap.SupervisorRefresh,
		Registerer: a.reg,
	})
	if err != nil {
		return fmt.Errorf("supervisor methods: %w", err)
	}
	a.methods = append(a.methods, methods...)
	return nil
}
