package api

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"dcmconnect/setup"
)

// SetupService (setup.Service) is the installation checker and installer behind the setup
// wizard (package setup). Each call gets the signed-in administrator's
// own Genesys token: it is used for that request and never stored.
type SetupService interface {
	// Plan lists what Install makes (kinds and names).
	Plan() setup.Overview
	// Status runs every installation check; token reads what needs an admin.
	Status(ctx context.Context, token string) (*setup.Report, error)
	// Install runs the given install parts (all when empty) as the admin.
	Install(ctx context.Context, token, userID string, parts []string) (*setup.Result, error)
	// Uninstall removes what Install made.
	Uninstall(ctx context.Context, token string) (*setup.Result, error)
}

// SetupPermission is one Genesys permission the wizard needs, and for what.
type SetupPermission struct {
	Permission string `json:"permission"`
	Purpose    string `json:"purpose"`
	// For is check, install, uninstall or optional.
	For string `json:"for"`
}

// SetupPermissions are what an administrator needs: the premium-app
// wizard's own lists (docs/upstreams.md: wizard, role, group and app modules), plus
// directory:group:edit to join the new group and the delete permissions for
// Uninstall, and the data actions' (integrations:action:*, as the
// premium-app wizard's ws-data-actions module asks). oauth:client:view and
// integrations:action:execute are optional: without them the browser OAuth
// client check and the data actions' test are skipped.
var SetupPermissions = []SetupPermission{
	{"integrations:integration:view", "find the Premium App and the connector apps", "check"},
	{"integrations:integration:edit", "configure the apps and record the install in the Premium App", "check"},
	{"integrations:integration:add", "create the interaction widget and the supervisor app", "install"},
	{"authorization:role:view", "find the connector role", "install"},
	{"authorization:role:add", "create the connector role", "install"},
	{"authorization:grant:add", "grant the role to you", "install"},
	{"directory:group:add", "create the agents group", "install"},
	{"directory:group:edit", "add you to the agents group", "install"},
	{"integrations:action:view", "find the data actions", "install"},
	{"integrations:action:add", "create the data actions", "install"},
	{"integrations:action:edit", "publish the data actions", "install"},
	{"integrations:integration:delete", "remove the apps (uninstall)", "uninstall"},
	{"authorization:role:view", "find the connector role (uninstall)", "uninstall"},
	{"authorization:role:delete", "remove the role (uninstall)", "uninstall"},
	{"directory:group:delete", "remove the group (uninstall)", "uninstall"},
	{"oauth:client:view", "check the browser OAuth client", "optional"},
	{"authorization:role:edit", "add missing permissions to the server role", "optional"},
	{"oauth:client:edit", "give the server role to the Client Credentials OAuth client", "optional"},
	{"integrations:action:execute", "test the data actions in the checklist", "optional"},
}

// MissingPermissions lists the permissions needed for any of the given
// purposes (check, install, uninstall, optional) that c does not hold.
func MissingPermissions(c *Caller, purposes ...string) []string {
	var out []string
	for _, p := range SetupPermissions {
		if !slices.Contains(purposes, p.For) || slices.Contains(out, p.Permission) || c.holdsPermission(p.Permission) {
			continue
		}
		out = append(out, p.Permission)
	}
	return out
}

func (c *Caller) holdsPermission(want string) bool { return c.HasAnyPermission([]string{want}) }

// setupNeeds refuses callers missing a permission for purposes, naming them.
func setupNeeds(purposes ...string) func(*Caller) error {
	return func(c *Caller) error {
		if m := MissingPermissions(c, purposes...); len(m) > 0 {
			e := Forbidden("the setup wizard needs these Genesys Cloud permissions: " + strings.Join(m, ", "))
			e.Code = MsgWizardPermissions
			return e
		}
		return nil
	}
}

// SetupMethods are WizardContext (who is signed in and which permissions
// are missing; any verified user), SetupStatus (the checklist), Install and
// Uninstall (administrators holding SetupPermissions).
func SetupMethods(s SetupService) []Method {
	return []Method{
		{Name: "WizardContext", ReadOnly: true, Handle: func(_ context.Context, c *Call) (any, error) {
			perms := make([]map[string]any, 0, len(SetupPermissions))
			for _, p := range SetupPermissions {
				perms = append(perms, map[string]any{"permission": p.Permission, "purpose": p.Purpose, "for": p.For, "held": c.Caller.holdsPermission(p.Permission)})
			}
			missing := map[string][]string{}
			for _, f := range []string{"check", "install", "uninstall", "optional"} {
				missing[f] = setupList(MissingPermissions(c.Caller, f))
			}
			return map[string]any{
				"user":         map[string]any{"id": c.Caller.ID, "name": c.Caller.Name},
				"permissions":  perms,
				"missing":      missing,
				"canCheck":     len(missing["check"]) == 0,
				"canInstall":   len(missing["check"])+len(missing["install"]) == 0,
				"canUninstall": len(missing["check"])+len(missing["uninstall"]) == 0,
				"plan":         s.Plan(),
			}, nil
		}},
		{Name: "SetupStatus", ReadOnly: true, Allow: setupNeeds("check"), Handle: func(ctx context.Context, c *Call) (any, error) {
			out, err := s.Status(ctx, c.Caller.Token)
			if err != nil {
				return nil, setupError(err)
			}
			return out, nil
		}},
		{Name: "Install", Allow: setupNeeds("check", "install"), Handle: func(ctx context.Context, c *Call) (any, error) {
			var parts []string
			if err := c.Decode("parts", &parts, false); err != nil {
				return nil, err
			}
			for _, p := range parts {
				if !slices.Contains(setup.Parts, p) {
					return nil, BadRequest(fmt.Sprintf("parameter \"parts\": unknown part %q; the parts are %s", p, strings.Join(setup.Parts, ", ")))
				}
			}
			out, err := s.Install(ctx, c.Caller.Token, c.Caller.ID, parts)
			if err != nil {
				return nil, setupError(err)
			}
			return out, nil
		}},
		{Name: "Uninstall", Allow: setupNeeds("check", "uninstall"), Handle: func(ctx context.Context, c *Call) (any, error) {
			out, err := s.Uninstall(ctx, c.Caller.Token)
			if err != nil {
				return nil, setupError(err)
			}
			return out, nil
		}},
	}
}

func setupList(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// setupError: Genesys refusing the admin's own token is a 403 or 401 for
// the page, not an upstream failure.
func setupError(err error) error {
	if err == nil {
		return nil // not a nil *Error in an error
	}
	return httpError(err, fromWizard)
}
