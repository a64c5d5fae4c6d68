package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"dcmconnect/api"
	"dcmconnect/interactions"
)

// addInteractions wires the agent page's feature: screen pop, interaction
// log and click-to-dial (DCMServices methods) and the interaction sync job,
// in-process every interactions.syncInterval or once by `dcmconnect sync
// interactions`.
func addInteractions(a *app) error {
	cfg := a.cfg
	pages := cfg.ServiceJourney.Pages
	svc, err := interactions.New(interactions.Options{
		Genesys: a.gc, SJ: a.ab, Agents: a.users,
		SJURL: cfg.ServiceJourney.URL, Domain: cfg.ServiceJourney.Domain,
		Pages:           interactions.Pages{Party: pages.Party, Case: pages.Case, NewCase: pages.NewCase, AppID: pages.AppID},
		ResolvePages:    pages.Resolve,
		DefaultCountry:  cfg.Interactions.DefaultCountry,
		CaseIDAttribute: cfg.Interactions.CaseIDAttribute, PartyIDAttribute: cfg.Interactions.PartyIDAttribute,
		Fields: cfg.Interactions.Fields, SummaryWait: cfg.Interactions.SummaryWait,
		Registerer: a.reg, Logger: a.log.With("component", "interactions"),
	})
	if err != nil {
		return fmt.Errorf("interactions: %w", err)
	}
	job, err := interactions.NewSyncer(interactions.SyncOptions{
		Service: svc, InitialLookback: cfg.Interactions.InitialLookback, MaxOpenAge: cfg.Interactions.MaxOpenAge,
		WrapupGrace: cfg.Interactions.WrapupGrace, Overlap: cfg.Interactions.SyncLag, Writers: cfg.Interactions.SyncWriters,
		Registerer: a.reg, Logger: a.log.With("component", "interactionsync"),
	})
	if err != nil {
		return fmt.Errorf("interactions: %w", err)
	}
	a.interactionSync = job
	a.lookup = svc
	a.methods = append(a.methods, api.InteractionMethods(svc)...)
	if cfg.InProcessInteractionSync() {
		a.jobs = append(a.jobs, func(ctx context.Context) error {
			// Records name the agent's ServiceJourney user: wait for the first
			// user map rather than log conversations without their agents.
			if err := waitForUserMap(ctx, a, time.Second); err != nil {
				return nil // shutting down
			}
			return job.Run(ctx, cfg.Interactions.SyncInterval)
		})
	}
	a.jobStatus["interactions"] = func() any { return job.LastRun() }
	return nil
}

func waitForUserMap(ctx context.Context, a *app, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for a.users.Report() == nil {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// syncInteractions is `dcmconnect sync interactions [--since DURATION]`:
// one run, after loading the user map (a one-shot process has none yet).
func syncInteractions(ctx context.Context, a *app, args []string, _ io.Writer) (any, bool, error) {
	fs := flag.NewFlagSet("dcmconnect sync interactions", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	since := fs.Duration("since", 0, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *since < 0 {
		return nil, false, &exitError{exitUsage, fmt.Errorf("usage: dcmconnect sync interactions [--since DURATION] [--json]; --since takes a positive duration such as 30m or 2h")}
	}
	job := a.interactionSync
	if job == nil {
		return nil, false, errors.New("interactions: the feature is not wired into this app")
	}
	if a.users.Report() == nil {
		if sum, err := a.userSync.RunOnce(ctx); err != nil {
			return nil, false, fmt.Errorf("interaction sync needs the user map first, and the user sync failed: %w (%s)", err, sum)
		}
	}
	sum, err := job.RunSince(ctx, *since)
	return sum, err == nil && sum.OK, err
}
