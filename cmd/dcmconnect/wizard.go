package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"dcmconnect/api"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

// The setup wizard's DCMServices methods (WizardContext, SetupStatus,
// Install, Uninstall) and the demo's Premium App.
func init() {
	features = append(features, addSetup)
	demoSeeds = append(demoSeeds, seedPremiumApp)
}

// newSetupTools builds the checker and installer of one app; `dcmconnect
// check` and the wizard share them.
func newSetupTools(a *app) (*setup.Checker, *setup.Installer, error) {
	cfg := a.cfg
	in := setup.NewInstaller(setup.InstallerOptions{PublicURL: cfg.Server.PublicURL})
	ch, err := setup.NewChecker(setup.Options{
		Genesys: a.gc, AppBase: a.ab,
		PublicURL: cfg.Server.PublicURL, AppsOrigin: cfg.AppsOrigin(),
		BrowserClientID: cfg.Genesys.BrowserClientID, BrowserGrant: cfg.Genesys.BrowserGrant,
		FramePage: cfg.ServiceJourney.Pages.Party, AppID: cfg.ServiceJourney.Pages.AppID,
		Installer: in, Registerer: a.reg,
	})
	return ch, in, err
}

func addSetup(a *app) error {
	ch, in, err := newSetupTools(a)
	if err != nil {
		return err
	}
	// The checklist must answer before the server's write timeout cuts the
	// response; checks still running then report that they ran out of time.
	deadline := max(a.cfg.Server.WriteTimeout-5*time.Second, 5*time.Second)
	a.methods = append(a.methods, api.SetupMethods(setupService{gc: a.gc, checker: ch, installer: in, deadline: deadline})...)
	return nil
}

// setupService adapts package setup to api.SetupService: every call acts
// with the administrator's token of that request.
type setupService struct {
	gc        *genesys.Client
	checker   *setup.Checker
	installer *setup.Installer
	deadline  time.Duration
}

func (s setupService) Plan() any {
	return map[string]any{"prefix": s.installer.Prefix(), "objects": s.installer.Plan(), "parts": setup.Parts,
		"wizardURL": s.installer.WizardURL()}
}

// Status is the report; report.installed holds what Step 5 found.
func (s setupService) Status(ctx context.Context, token string) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, s.deadline)
	defer cancel()
	return s.checker.Run(ctx, s.gc.WithToken(token)), nil
}

func (s setupService) Install(ctx context.Context, token, userID string, parts []string) (any, error) {
	for _, p := range parts {
		if !slices.Contains(setup.Parts, p) {
			return nil, api.BadRequest(fmt.Sprintf("parameter \"parts\": unknown part %q; the parts are %s", p, strings.Join(setup.Parts, ", ")))
		}
	}
	res, err := s.installer.Install(ctx, s.gc.WithToken(token), userID, parts...)
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (s setupService) Uninstall(ctx context.Context, token string) (any, error) {
	res, err := s.installer.Uninstall(ctx, s.gc.WithToken(token))
	if err != nil {
		return nil, err
	}
	return res, nil
}

// seedPremiumApp installs the Premium App in the fake Genesys as step 5 of
// the install guide has the administrator do: its Application URL opens our
// wizard. It goes through the fake's own API, as Ada Admin.
func seedPremiumApp(g *genesystest.Server, _ *appbasetest.Server, publicURL string) {
	tok := g.UserToken(demoAdminID)
	call := func(method, path string, body any) map[string]any {
		b, _ := json.Marshal(body)
		req := httptest.NewRequest(method, path, strings.NewReader(string(b)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		var out map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
			panic(fmt.Sprintf("demo seed: %s %s: HTTP %d %s", method, path, rec.Code, rec.Body.String()))
		}
		return out
	}
	in := call("POST", "/api/v2/integrations", map[string]any{"name": "ServiceJourney Connector",
		"integrationType": map[string]string{"id": "premium-app-servicejourney"}})
	id, _ := in["id"].(string)
	wizard := setup.NewInstaller(setup.InstallerOptions{PublicURL: publicURL}).WizardURL()
	call("PUT", "/api/v2/integrations/"+id+"/config/current", map[string]any{"name": "ServiceJourney Connector", "version": 1,
		"properties": map[string]any{"url": wizard, "displayType": "standalone", "featureCategory": ""}, "advanced": map[string]any{}, "credentials": map[string]any{}})
	call("PATCH", "/api/v2/integrations/"+id, map[string]any{"intendedState": "ENABLED"})
}
