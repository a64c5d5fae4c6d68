package setup

import (
	"context"
	"errors"
	"slices"
	"strings"

	"dcmconnect/genesys"
)

// ServerTopic is a notification topic the server subscribes to with the
// client-credentials token (interactions events: topics queues and users).
type ServerTopic struct {
	Topic string
	For   string
}

// ServerTopics are the server's subscriptions. What each requires is not
// written here but read from Genesys Cloud: GET
// /api/v2/notifications/availabletopics?expand=requiresPermissions lists a
// topic's documented requirement (Model: platformclientv2.Availabletopic
// requiresPermissions; a user topic needs it too, as a client-credentials
// token has no current user: requiresCurrentUserOrPermission).
var ServerTopics = []ServerTopic{
	{"v2.routing.queues.{id}.conversations", "conversation events of the watched queues (events.topics: queues)"},
	{"v2.users.{id}.conversations", "conversation events of each mapped agent (events.topics: users)"},
}

// serverNeeds are the permissions the server's client-credentials client
// must hold: ServerPermissions, then what ServerTopics require. When the
// topics cannot be read, err says so and needs holds ServerPermissions.
func serverNeeds(ctx context.Context, gc *genesys.Client) (needs []string, err error) {
	for _, p := range ServerPermissions {
		needs = append(needs, p.Permission)
	}
	topics, err := gc.Notifications().AvailableTopics(ctx, "requiresPermissions")
	if err != nil {
		return needs, err
	}
	for _, t := range topics {
		if !slices.ContainsFunc(ServerTopics, func(s ServerTopic) bool { return s.Topic == t.ID }) {
			continue
		}
		for _, p := range t.RequiresPermissions {
			if len(strings.Split(p, ":")) == 3 && !slices.Contains(needs, p) {
				needs = append(needs, p)
			}
		}
	}
	return needs, nil
}

// grantDivision is where the installer grants the server role: all
// divisions, as the server reads every queue's conversations (Roledivision
// divisionId "*", as in Genesys's subject grants [UNVERIFIED for OAuth
// clients]).
const grantDivision = "*"

// Grant says what the installer did to the Client Credentials OAuth client's
// roles: granted, unchanged (it already had the role) or removed.
type Grant struct {
	ClientID string `json:"clientId"`
	Client   string `json:"client"`
	Action   string `json:"action"`
}

// withoutRole is c's grants less roleID, and whether it had it. RoleIDs
// not among RoleDivisions stay RoleIDs (their division is Genesys's to say).
func withoutRole(c *genesys.OAuthClient, roleID string) (divs []genesys.RoleDivision, ids []string, had bool) {
	for _, g := range c.RoleDivisions {
		if g.RoleID == roleID {
			had = true
			continue
		}
		divs = append(divs, g)
	}
	for _, id := range c.RoleIDs {
		switch {
		case id == roleID:
			had = true
		case !slices.ContainsFunc(divs, func(g genesys.RoleDivision) bool { return g.RoleID == id }):
			ids = append(ids, id)
		}
	}
	return divs, ids, had
}

// putGrants writes c back with other grants (the rest as read).
func putGrants(ctx context.Context, gc *genesys.Client, c *genesys.OAuthClient, divs []genesys.RoleDivision, ids []string) error {
	next := *c
	next.Secret, next.RoleDivisions, next.RoleIDs = "", divs, ids
	_, err := gc.OAuthClients.Update(ctx, c.ID, &next)
	return err
}

// readServerClient reads genesys.clientId's OAuth client, or warns (and
// returns nil) when it is not set, not readable or not ours to change.
func (in *Installer) readServerClient(ctx context.Context, gc *genesys.Client, res *Result) (*genesys.OAuthClient, error) {
	role, id := in.Name(KindServerRole), in.o.ServerClientID
	if id == "" {
		res.warn(M("warn.serverRoleNotGiven", "role", role))
		return nil, nil
	}
	c, err := gc.OAuthClients.Get(ctx, id)
	switch {
	case errors.Is(err, genesys.ErrForbidden):
		res.warn(M("warn.serverGrantForbidden", "role", role, "client", id))
		return nil, nil
	case errors.Is(err, genesys.ErrNotFound):
		res.warn(M("warn.serverClientNotFound", "role", role, "client", id))
		return nil, nil
	case err != nil:
		return nil, err
	}
	if c.AuthorizedGrantType != "CLIENT-CREDENTIALS" {
		res.warn(M("warn.serverClientNotCC", "role", role, "client", c.Name, "grant", c.AuthorizedGrantType))
		return nil, nil
	}
	return c, nil
}

// grantServerRole gives roleID to the Client Credentials OAuth client
// (genesys.clientId), keeping its other roles: PUT
// /api/v2/oauth/clients/{clientId} with roleDivisions (OAuthApi.PutOauthClient,
// Model: platformclientv2.Oauthclientrequest, Roledivision). When the
// administrator may not (oauth:client:view/edit), it warns with the manual step.
func (in *Installer) grantServerRole(ctx context.Context, gc *genesys.Client, roleID string, res *Result) (*Grant, error) {
	c, err := in.readServerClient(ctx, gc, res)
	if c == nil || err != nil {
		return nil, err
	}
	g := &Grant{ClientID: c.ID, Client: c.Name, Action: "unchanged"}
	divs, ids, had := withoutRole(c, roleID)
	if had {
		return g, nil
	}
	err = putGrants(ctx, gc, c, append(divs, genesys.RoleDivision{RoleID: roleID, DivisionID: grantDivision}), ids)
	if errors.Is(err, genesys.ErrForbidden) {
		res.warn(M("warn.serverGrantForbidden", "role", in.Name(KindServerRole), "client", c.Name))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	g.Action = "granted"
	return g, nil
}

// ungrantServerRole takes roleID from the Client Credentials OAuth client
// before the role goes, keeping its other roles. A client left with no role
// is not written (Genesys wants one on a client-credentials client); the
// role's deletion takes it, and the administrator is told.
func (in *Installer) ungrantServerRole(ctx context.Context, gc *genesys.Client, roleID string, res *Result) (*Grant, error) {
	if in.o.ServerClientID == "" {
		return nil, nil
	}
	c, err := gc.OAuthClients.Get(ctx, in.o.ServerClientID)
	switch {
	case errors.Is(err, genesys.ErrNotFound):
		return nil, nil
	case errors.Is(err, genesys.ErrForbidden):
		res.warn(M("warn.serverUngrantForbidden", "role", in.Name(KindServerRole), "client", in.o.ServerClientID))
		return nil, nil
	case err != nil:
		return nil, err
	}
	divs, ids, had := withoutRole(c, roleID)
	if !had {
		return nil, nil
	}
	g := &Grant{ClientID: c.ID, Client: c.Name, Action: "removed"}
	if len(divs)+len(ids) == 0 {
		res.warn(M("warn.serverClientNoRoleLeft", "role", in.Name(KindServerRole), "client", c.Name))
		return g, nil
	}
	err = putGrants(ctx, gc, c, divs, ids)
	if errors.Is(err, genesys.ErrForbidden) {
		res.warn(M("warn.serverUngrantForbidden", "role", in.Name(KindServerRole), "client", c.Name))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// serverGrantLine is the check's line for the Client Credentials OAuth
// client's grant (Step 7): does a role it holds give each permission the
// server needs. It reads the client and its roles as the administrator in
// the wizard, as the server itself in `check`.
func (c *Checker) serverGrantLine(ctx context.Context, as *genesys.Client, st *State, asAdmin bool) Line {
	const id, check = "genesys.serverGrant", "client's roles"
	in := c.o.Installer
	role := in.Name(KindServerRole)
	clientID := in.o.ServerClientID
	if clientID == "" {
		return skipped(id, Step7, check, M("because.noCredentials"))
	}
	oc, err := as.OAuthClients.Get(ctx, clientID)
	switch {
	case errors.Is(err, genesys.ErrForbidden) && !asAdmin:
		// The least-privilege server role cannot read OAuth clients: from
		// `check` this is not checked, which is no problem of its own (the
		// wizard checks it as the administrator).
		return skipped(id, Step7, check, M("because.oauthUnreadable"))
	case errors.Is(err, genesys.ErrForbidden):
		return line(id, Step7, check, Warn, M("serverGrantUnreadYou"), M("fixOAuthViewYou"))
	case errors.Is(err, genesys.ErrNotFound):
		return line(id, Step7, check, Fail, M("serverClientMissing", "client", clientID), M("fixCredentials"))
	case err != nil:
		return lineErr(id, Step7, check, Warn, M("serverClientReadError"), err, forbiddenFix(err, none))
	}
	var granted, names []string
	for _, rid := range oc.GrantedRoleIDs() {
		r, err := as.Authorization.GetRole(ctx, rid)
		if errors.Is(err, genesys.ErrNotFound) {
			continue
		}
		if err != nil {
			return lineErr(id, Step7, check, Warn, M("serverGrantRolesUnread", "client", oc.Name), err, forbiddenFix(err, M("fixServerRoleView")))
		}
		granted, names = append(granted, r.Granted()...), append(names, r.Name)
	}
	needs, _ := serverNeeds(ctx, as)
	missing := missingPermissions(granted, needs)
	if len(missing) == 0 {
		return line(id, Step7, check, Pass, M("serverGrantOK", "client", oc.Name, "roles", strings.Join(names, ", ")), none)
	}
	detail := M("serverGrantLacks", "client", oc.Name, "permissions", strings.Join(missing, ", "))
	if len(names) == 0 {
		detail = M("serverGrantNone", "client", oc.Name)
	}
	o := st.Object(KindServerRole)
	switch {
	case o == nil:
		return line(id, Step7, check, Warn, detail, M("fixServerRoleInstall", "role", role))
	case slices.Contains(oc.GrantedRoleIDs(), o.ID):
		return line(id, Step7, check, Warn, detail, M("fixServerRoleUpdate", "role", role))
	}
	return line(id, Step7, check, Warn, detail, M("fixServerGrant", "role", role, "client", oc.Name))
}
