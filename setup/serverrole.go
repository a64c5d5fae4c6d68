package setup

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"dcmconnect/genesys"
)

// ServerPermission is one permission the server's background OAuth client
// (grant Client Credentials, genesys.clientId) needs, and what for.
type ServerPermission struct {
	Permission string
	For        string
}

// ServerPermissions are what the server itself calls Genesys Cloud for with
// the client-credentials token, each from the endpoint's documented
// requirement (the official SDKs' API docs, "Requires ANY/ALL permissions";
// docs/upstreams.md). A least-privilege role instead of the old guide's
// Master Admin. Endpoints documented with no permission (GET /api/v2/users,
// /users/{id}, /organizations/me, participant attributes, e-mail messages,
// notification channels) need none here; directory:user:view is kept for
// the user sync because a client-credentials token reads users through the
// directory. The agent's own token does click-to-dial (conversation:conference:add),
// so it is not here.
var ServerPermissions = []ServerPermission{
	{"directory:user:view", "user sync and agent presence (GET /api/v2/users)"},
	{"conversation:communication:view", "screen pop, interaction log and events (GET /api/v2/conversations/{id})"},
	{"analytics:conversationDetail:view", "interaction sync, events backfill, supervisor view (analytics conversation details query and jobs)"},
	{"routing:queue:view", "queue names in the log and the supervisor view (GET /api/v2/routing/queues/{id})"},
	{"routing:wrapupCode:view", "wrap-up code names in the log (GET /api/v2/routing/wrapupcodes/{id})"},
	{"conversation:summary:view", "AI summary after wrap-up (GET /api/v2/conversations/{id}/summaries)"},
	{"recording:recording:view", "recording link after the interaction (GET /api/v2/conversations/{id}/recordingmetadata)"},
	{"conversation:message:view", "messaging transcript (POST /api/v2/conversations/messages/{id}/messages/bulk)"},
}

// policies are permissions (domain:entity:action) as permission policies.
// Model: platformclientv2.Domainpermissionpolicy.
func policies(perms []string) []genesys.PermissionPolicy {
	out := make([]genesys.PermissionPolicy, 0, len(perms))
	for _, p := range perms {
		parts := strings.SplitN(p, ":", 3)
		out = append(out, genesys.PermissionPolicy{Domain: parts[0], EntityName: parts[1], ActionSet: []string{parts[2]}})
	}
	return out
}

// missingPermissions lists what of needs granted lacks.
func missingPermissions(granted, needs []string) []string {
	var out []string
	for _, p := range needs {
		if !slices.ContainsFunc(granted, func(h string) bool { return genesys.PermissionGranted(h, p) }) {
			out = append(out, p)
		}
	}
	return out
}

// findServerRoles returns the roles with the server role's name, each with
// a problem when it lacks a permission of needs.
func (in *Installer) findServerRoles(ctx context.Context, gc *genesys.Client, needs []string) ([]Object, []genesys.Role, error) {
	name := in.Name(KindServerRole)
	p, err := gc.Authorization.ListRoles(ctx, &genesys.RoleListOptions{Name: name, PageSize: 100})
	if err != nil {
		return nil, nil, err
	}
	var objs []Object
	var roles []genesys.Role
	for _, r := range p.Entities {
		if r.Name != name {
			continue
		}
		o := Object{Kind: KindServerRole, ID: r.ID, Name: r.Name}
		if m := missingPermissions(r.Granted(), needs); len(m) > 0 {
			o.setProblem(M("problem.permissions", "permissions", strings.Join(m, ", ")))
		}
		objs, roles = append(objs, o), append(roles, r)
	}
	return objs, roles, nil
}

// ensureServerRole creates the server role with what the server needs
// (ServerPermissions and its topics' requirements), or adds what an existing
// one lacks (keeping what an administrator added), then gives it to the
// Client Credentials OAuth client (grantServerRole).
func (in *Installer) ensureServerRole(ctx context.Context, gc *genesys.Client, res *Result) (*Object, error) {
	needs, err := serverNeeds(ctx, gc)
	if err != nil {
		res.warn(M("warn.topicsUnread"))
	}
	o, err := in.ensureServerRoleHas(ctx, gc, needs)
	if err != nil {
		return o, err
	}
	o.Grant, err = in.grantServerRole(ctx, gc, o.ID, res)
	if err != nil {
		return o, fmt.Errorf("giving the %s to the Client Credentials OAuth client: %w", KindTitle(KindServerRole), err)
	}
	return o, nil
}

func (in *Installer) ensureServerRoleHas(ctx context.Context, gc *genesys.Client, needs []string) (*Object, error) {
	objs, roles, err := in.findServerRoles(ctx, gc, needs)
	if err != nil {
		return nil, err
	}
	name := in.Name(KindServerRole)
	desc := "What the ServiceJourney Connector server needs: the setup wizard gives it to its Client Credentials OAuth client (made by the dcmconnect setup wizard)"
	if len(objs) == 0 {
		r, err := gc.Authorization.CreateRole(ctx, &genesys.Role{Name: name, Description: desc, PermissionPolicies: policies(needs)})
		if err != nil {
			return nil, err
		}
		return &Object{Kind: KindServerRole, ID: r.ID, Name: r.Name, Action: "created"}, nil
	}
	o, r := objs[0], roles[0]
	o.Action = "unchanged"
	missing := missingPermissions(r.Granted(), needs)
	if len(missing) == 0 {
		return &o, nil
	}
	if r.Description != "" {
		desc = r.Description
	}
	all := append(slices.Clone(r.PermissionPolicies), policies(missing)...)
	if _, err := gc.Authorization.UpdateRole(ctx, r.ID, &genesys.Role{Name: r.Name, Description: desc, PermissionPolicies: all}); err != nil {
		return &o, err
	}
	o.Action = "updated"
	o.setProblem(none)
	return &o, nil
}

// serverRoleLine is the check's line for the server role (Step 7).
func serverRoleLine(st *State, in *Installer) Line {
	const id, check = "genesys.serverRole", "server role"
	name := in.Name(KindServerRole)
	o := st.Object(KindServerRole)
	switch {
	case o == nil:
		return line(id, Step7, check, Warn, M("serverRoleMissing", "role", name), M("fixServerRoleInstall", "role", name))
	case o.ProblemMsg != nil:
		perms := o.ProblemMsg.Params["permissions"]
		return line(id, Step7, check, Warn, M("serverRoleLacks", "role", name, "permissions", perms), M("fixServerRoleUpdate", "role", name))
	}
	return line(id, Step7, check, Pass, M("serverRoleOK", "role", name), none)
}
