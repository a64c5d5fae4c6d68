package genesys

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// KeepOrgID reads the org id before any pop asks, so OrgID then answers
// without a call of its own.
func TestKeepOrgIDReadsAtStartup(t *testing.T) {
	e := newEnv(t, nil)
	hit := make(chan struct{}, 4)
	e.f.handle("GET /api/v2/organizations/me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "org-1", "name": "Ours"})
		hit <- struct{}{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.c.KeepOrgID(ctx, time.Hour) }()
	<-hit
	id, err := e.c.OrgID(context.Background()) // shares the start-up read
	cancel()
	<-done
	if err != nil || id != "org-1" {
		t.Fatalf("OrgID = %q, %v", id, err)
	}
	if n := e.f.count("GET /api/v2/organizations/me"); n != 1 {
		t.Fatalf("organizations/me read %d times, want 1 (at start-up only)", n)
	}
}

// With Options.OrgID there is nothing to keep.
func TestKeepOrgIDWithConfiguredOrg(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.OrgID = "org-configured" })
	if err := e.c.KeepOrgID(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
}
