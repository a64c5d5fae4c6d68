package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"dcmconnect/api"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

// newSetupTools builds the checker and installer of one app; `dcmconnect
// check` and the wizard share them.
func newSetupTools(a *app) (*setup.Checker, *setup.Installer, error) {
	cfg := a.cfg
	io := setup.InstallerOptions{PublicURL: cfg.Server.PublicURL, ServerClientID: cfg.Genesys.ClientID}
	if cfg.ActionsEnabled() {
		io.Actions = &setup.ActionsInstall{UserName: cfg.Actions.UserName, Password: cfg.Actions.Password, Budget: cfg.Actions.Budget}
	}
	in := setup.NewInstaller(io)
	ch, err := setup.NewChecker(setup.Options{
		Genesys: a.gc, AppBase: a.ab,
		PublicURL: cfg.Server.PublicURL, AppsOrigin: cfg.AppsOrigin(),
		BrowserClientID: cfg.Genesys.BrowserClientID, BrowserGrant: cfg.Genesys.BrowserGrant,
		FramePage: cfg.ServiceJourney.Pages.Party, AppID: cfg.ServiceJourney.Pages.AppID,
		Pages:     setup.PopPages{Party: cfg.ServiceJourney.Pages.Party, Case: cfg.ServiceJourney.Pages.Case, NewCase: cfg.ServiceJourney.Pages.NewCase},
		Installer: in, Registerer: a.reg,
	})
	return ch, in, err
}

// addSetup wires the setup wizard's DCMServices methods (WizardContext,
// SetupStatus, Install, Uninstall).
func addSetup(a *app) error {
	ch, in, err := newSetupTools(a)
	if err != nil {
		return err
	}
	// The checklist must answer before the server's write timeout cuts the
	// response; checks still running then report that they ran out of time.
	deadline := max(a.cfg.Server.WriteTimeout-5*time.Second, 5*time.Second)
	a.methods = append(a.methods, api.SetupMethods(setup.NewService(a.gc, ch, in, deadline))...)
	return nil
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
