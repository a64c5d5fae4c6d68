package genesystest

import (
	"maps"
	"slices"
	"time"
)

// ordered is a map that remembers insertion order, so listings are stable.
type ordered[T any] struct {
	m     map[string]*T
	order []string
}

func newOrdered[T any]() ordered[T] { return ordered[T]{m: map[string]*T{}} }

func (o *ordered[T]) put(id string, v *T) {
	if _, ok := o.m[id]; !ok {
		o.order = append(o.order, id)
	}
	o.m[id] = v
}

func (o *ordered[T]) get(id string) (*T, bool) {
	v, ok := o.m[id]
	return v, ok
}

func (o *ordered[T]) del(id string) bool {
	if _, ok := o.m[id]; !ok {
		return false
	}
	delete(o.m, id)
	o.order = slices.DeleteFunc(o.order, func(x string) bool { return x == id })
	return true
}

func (o *ordered[T]) list() []*T {
	out := make([]*T, 0, len(o.order))
	for _, id := range o.order {
		out = append(out, o.m[id])
	}
	return out
}

// named is a queue or a wrap-up code.
type named struct {
	ID      string
	Name    string
	Created time.Time
}

// store is all mutable state of a Server; Server.mu guards it.
type store struct {
	orgID        string
	orgs         map[string]string // id -> name
	homeDivision Division

	clients      ordered[Client]
	users        ordered[User]
	usersSorted  []*User                  // name order; nil when users changed
	usersListed  map[usersListKey][]*User // listedUsers' answers; nil when users changed
	queues       ordered[named]
	wrapups      ordered[named]
	convs        ordered[Conversation]
	intTypes     ordered[IntegrationType]
	integrations ordered[Integration]
	credentials  ordered[Credential]
	actions      ordered[Action]
	roles        ordered[Role]
	groups       ordered[Group]

	tokens  map[string]*token
	sweepAt int // token count that triggers the next sweep
	refresh map[string]*token
	codes   map[string]*authCode
	// sessions are the login sessions LoginSession made: cookie value -> user id.
	sessions      map[string]string
	sessionCookie string // the sessions' cookie name, one per server
	jobs          map[string]*job
	// generated are the ranges AddGeneratedConversations added.
	generated []*GeneratedConversations
	// content is what conversations produced (summaries, recordings, bodies), by conversation id.
	content map[string]*convContent
}

func (d *store) init(o options) {
	d.orgID = nameUUID("org")
	d.orgs = map[string]string{d.orgID: "Fake Org"}
	d.homeDivision = Division{ID: nameUUID("division:Home"), Name: "Home"}
	d.clients = newOrdered[Client]()
	d.users = newOrdered[User]()
	d.queues = newOrdered[named]()
	d.wrapups = newOrdered[named]()
	d.convs = newOrdered[Conversation]()
	d.intTypes = newOrdered[IntegrationType]()
	d.integrations = newOrdered[Integration]()
	d.credentials = newOrdered[Credential]()
	d.actions = newOrdered[Action]()
	d.roles = newOrdered[Role]()
	d.groups = newOrdered[Group]()
	d.tokens = map[string]*token{}
	d.sweepAt = 1024
	d.refresh = map[string]*token{}
	d.codes = map[string]*authCode{}
	d.sessions = map[string]string{}
	d.jobs = map[string]*job{}

	// Types the installer needs (docs/upstreams.md).
	for _, t := range []IntegrationType{
		{ID: "embedded-client-app", Name: "Client Application", Description: "Embeds a third-party web app in Genesys Cloud", Provider: "clientapps", Category: "Client Apps"},
		{ID: "embedded-client-app-interaction-widget", Name: "Interaction Widget", Description: "Embeds a web app next to each interaction", Provider: "clientapps", Category: "Client Apps"},
		{ID: CustomRestActions, Name: "Web Services Data Actions", Description: "Data actions that call a web service", Provider: "genesys", Category: "Data Actions"},
		{ID: o.premiumAppType, Name: "ServiceJourney (Premium App)", Description: "Eccentex AppBase ServiceJourney", Provider: "appfoundry", Category: "Premium Apps", MaxInstances: 1},
	} {
		d.intTypes.put(t.ID, &t)
	}
	// The wizard looks up "employee" by name (docs/upstreams.md, oauth-client module).
	for _, r := range []Role{
		{Name: "employee", Description: "Default role for every user", Default: true,
			PermissionPolicies: []PermissionPolicy{{Domain: "directory", EntityName: "user", ActionSet: []string{"view"}}}},
		{Name: "Master Admin", Description: "Full administrative rights", Default: true,
			PermissionPolicies: []PermissionPolicy{{Domain: "*", EntityName: "*", ActionSet: []string{"*"}}}},
	} {
		r.ID = nameUUID("role:" + r.Name)
		d.roles.put(r.ID, &r)
	}
}

func (d *store) orgName(id string) string { return d.orgs[id] }

func (d *store) clientOrg(c *Client) string {
	if c.OrgID != "" {
		return c.OrgID
	}
	return d.orgID
}

type usersListKey struct{ orgID, state string }

// usersChanged drops what is derived from the users.
func (d *store) usersChanged() { d.usersSorted, d.usersListed = nil, nil }

func (d *store) userOrg(u *User) string {
	if u.OrgID != "" {
		return u.OrgID
	}
	return d.orgID
}

func (d *store) userDivision(u *User) Division {
	if u.Division.ID == "" && u.Division.Name == "" {
		return d.homeDivision
	}
	dv := u.Division
	if dv.ID == "" {
		dv.ID = nameUUID("division:" + dv.Name)
	}
	return dv
}

// Deep copies: seeds go in and assertions come out by value, so callers can
// never race with handlers on shared maps or slices.

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}

func copyUser(u User) User {
	u.Permissions = slices.Clone(u.Permissions)
	u.Roles = slices.Clone(u.Roles)
	return u
}

func copyClient(c Client) Client {
	c.RedirectURIs = slices.Clone(c.RedirectURIs)
	c.Scopes = slices.Clone(c.Scopes)
	c.RoleIDs = slices.Clone(c.RoleIDs)
	c.RoleDivisions = slices.Clone(c.RoleDivisions)
	return c
}

func copyMedia(ms []Media) []Media {
	if ms == nil {
		return nil
	}
	out := make([]Media, len(ms))
	for i, m := range ms {
		m.ConnectedTime = copyTime(m.ConnectedTime)
		m.DisconnectedTime = copyTime(m.DisconnectedTime)
		if m.AfterCallWork != nil {
			acw := *m.AfterCallWork
			acw.StartTime, acw.EndTime = copyTime(acw.StartTime), copyTime(acw.EndTime)
			m.AfterCallWork = &acw
		}
		out[i] = m
	}
	return out
}

func copyConversation(c Conversation) Conversation {
	c.EndTime = copyTime(c.EndTime)
	ps := make([]Participant, len(c.Participants))
	for i, p := range c.Participants {
		p.Attributes = maps.Clone(p.Attributes)
		if p.Attributes == nil {
			p.Attributes = map[string]string{}
		}
		if p.Wrapup != nil {
			w := *p.Wrapup
			w.EndTime = copyTime(w.EndTime)
			p.Wrapup = &w
		}
		p.ConnectedTime = copyTime(p.ConnectedTime)
		p.EndTime = copyTime(p.EndTime)
		p.StartAcwTime, p.EndAcwTime = copyTime(p.StartAcwTime), copyTime(p.EndAcwTime)
		for _, l := range []*[]Media{&p.Calls, &p.Callbacks, &p.Chats, &p.Emails, &p.Messages,
			&p.Videos, &p.Screenshares, &p.SocialExpressions, &p.Cobrowsesessions} {
			*l = copyMedia(*l)
		}
		ps[i] = p
	}
	c.Participants = ps
	return c
}

func copyIntegration(in Integration) Integration {
	in.Config.Properties = deepCopyMap(in.Config.Properties)
	in.Config.Advanced = deepCopyMap(in.Config.Advanced)
	in.Config.Credentials = deepCopyMap(in.Config.Credentials)
	return in
}

func copyRole(r Role) Role {
	r.PermissionPolicies = slices.Clone(r.PermissionPolicies)
	for i := range r.PermissionPolicies {
		r.PermissionPolicies[i].ActionSet = slices.Clone(r.PermissionPolicies[i].ActionSet)
	}
	r.UserIDs = slices.Clone(r.UserIDs)
	return r
}

func copyGroup(g Group) Group {
	g.MemberIDs = slices.Clone(g.MemberIDs)
	return g
}

// deepCopyMap copies decoded JSON (maps, slices, scalars).
func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopyValue(v)
	}
	return out
}

func deepCopyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return deepCopyMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopyValue(e)
		}
		return out
	default:
		return v
	}
}
