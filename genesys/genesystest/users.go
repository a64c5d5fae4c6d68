package genesystest

import (
	"net/http"
	"slices"
	"strings"
)

// Wire shapes of users (docs/upstreams.md). Expand-only fields are pointers so they
// are absent unless asked for.
type wireUser struct {
	ID                 string             `json:"id"`
	Name               string             `json:"name"`
	Division           wireRef            `json:"division"`
	Chat               wireChat           `json:"chat"`
	Department         string             `json:"department,omitempty"`
	Email              string             `json:"email,omitempty"`
	PrimaryContactInfo []wireContact      `json:"primaryContactInfo"`
	Addresses          []wireContact      `json:"addresses"`
	State              string             `json:"state"`
	Title              string             `json:"title,omitempty"`
	Username           string             `json:"username,omitempty"`
	Version            int                `json:"version"`
	AcdAutoAnswer      bool               `json:"acdAutoAnswer"`
	Presence           *wirePresence      `json:"presence,omitempty"`
	RoutingStatus      *wireRoutingStatus `json:"routingStatus,omitempty"`
	Authorization      *wireAuthorization `json:"authorization,omitempty"`
	Groups             []wireGroup        `json:"groups,omitempty"`       // Model: platformclientv2.User (groups are full Group)
	Organization       *wireOrg           `json:"organization,omitempty"` // users/me only
	SelfURI            string             `json:"selfUri"`
}

// namedEntity is a reference with a name and no selfUri.
// Model: platformclientv2.Namedentity (id, name only).
type namedEntity struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type wireRef struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

type wireChat struct {
	JabberID string `json:"jabberId"`
}

type wireContact struct {
	Address   string `json:"address"`
	Display   string `json:"display,omitempty"`
	MediaType string `json:"mediaType"`
	Type      string `json:"type"`
}

type wirePresence struct {
	Source             string          `json:"source"`
	PresenceDefinition wirePresenceDef `json:"presenceDefinition"`
	ModifiedDate       string          `json:"modifiedDate"`
}

type wirePresenceDef struct {
	ID             string `json:"id"`
	SystemPresence string `json:"systemPresence"`
	SelfURI        string `json:"selfUri"`
}

type wireRoutingStatus struct {
	UserID    string `json:"userId"`
	Status    string `json:"status"`
	StartTime string `json:"startTime"`
}

type wireAuthorization struct {
	Roles              []wireRef          `json:"roles"`
	UnusedRoles        []wireRef          `json:"unusedRoles"`
	Permissions        []string           `json:"permissions"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies"`
}

type wireOrg struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	DefaultLanguage    string `json:"defaultLanguage"`
	DefaultCountryCode string `json:"defaultCountryCode"`
	ThirdPartyOrgName  string `json:"thirdPartyOrgName"`
	Domain             string `json:"domain"`
	Version            int    `json:"version"`
	State              string `json:"state"`
	VoicemailEnabled   bool   `json:"voicemailEnabled"`
	ProductPlatform    string `json:"productPlatform"`
	SelfURI            string `json:"selfUri"`
}

// systemPresences maps seed spellings to the wire spelling seen in
// presenceDefinition.systemPresence ("On Queue", not ON_QUEUE).
var systemPresences = map[string]string{
	"AVAILABLE": "Available", "AWAY": "Away", "BUSY": "Busy", "OFFLINE": "Offline",
	"IDLE": "Idle", "ON_QUEUE": "On Queue", "ONQUEUE": "On Queue", "MEAL": "Meal",
	"TRAINING": "Training", "MEETING": "Meeting", "BREAK": "Break",
}

func wireSystemPresence(p string) string {
	key := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(p), " ", "_"))
	if v, ok := systemPresences[key]; ok {
		return v
	}
	return p
}

func (s *Server) orgWire(id string) *wireOrg {
	name := s.data.orgName(id)
	slug := strings.ToLower(strings.Join(strings.Fields(name), ""))
	return &wireOrg{
		ID: id, Name: name, DefaultLanguage: "en-us", DefaultCountryCode: "US",
		ThirdPartyOrgName: slug, Domain: slug, Version: 1, State: "active",
		ProductPlatform: "PureCloud", SelfURI: "/api/v2/organizations/" + id,
	}
}

// userWire renders a user with the requested expands; the caller holds s.mu.
func (s *Server) userWire(u *User, expand []string) wireUser {
	dv := s.data.userDivision(u)
	wu := wireUser{
		ID:                 u.ID,
		Name:               u.Name,
		Division:           wireRef{ID: dv.ID, Name: dv.Name, SelfURI: "/api/v2/authorization/divisions/" + dv.ID},
		Chat:               wireChat{JabberID: u.ID + "@fake.orgspan.com"},
		Department:         u.Department,
		Email:              u.Email,
		PrimaryContactInfo: []wireContact{},
		Addresses:          []wireContact{},
		State:              u.State,
		Title:              u.Title,
		Username:           u.Username,
		Version:            u.Version,
		SelfURI:            "/api/v2/users/" + u.ID,
	}
	if u.Email != "" {
		wu.PrimaryContactInfo = append(wu.PrimaryContactInfo, wireContact{Address: u.Email, MediaType: "EMAIL", Type: "PRIMARY"})
	}
	if u.Phone != "" {
		wu.PrimaryContactInfo = append(wu.PrimaryContactInfo, wireContact{Address: u.Phone, Display: u.Phone, MediaType: "PHONE", Type: "PRIMARY"})
		wu.Addresses = append(wu.Addresses, wireContact{Address: u.Phone, Display: u.Phone, MediaType: "PHONE", Type: "WORK"})
	}
	var now string
	if len(expand) > 0 {
		now = isoTime(s.now())
	}
	for _, e := range expand {
		switch e {
		case "presence":
			sp := wireSystemPresence(u.Presence)
			id := nameUUID("presence:" + sp)
			wu.Presence = &wirePresence{
				Source:             "PURECLOUD",
				PresenceDefinition: wirePresenceDef{ID: id, SystemPresence: sp, SelfURI: "/api/v2/presencedefinitions/" + id},
				ModifiedDate:       now,
			}
		case "routingStatus":
			wu.RoutingStatus = &wireRoutingStatus{UserID: u.ID, Status: u.RoutingStatus, StartTime: now}
		case "authorization":
			a := &wireAuthorization{Roles: []wireRef{}, UnusedRoles: []wireRef{},
				Permissions: s.userPermissions(u.ID), PermissionPolicies: []PermissionPolicy{}}
			if a.Permissions == nil {
				a.Permissions = []string{}
			}
			for _, rid := range u.Roles {
				if r, ok := s.data.roles.get(rid); ok {
					a.Roles = append(a.Roles, wireRef{ID: r.ID, Name: r.Name})
					a.PermissionPolicies = append(a.PermissionPolicies, r.PermissionPolicies...)
				}
			}
			wu.Authorization = a
		case "groups":
			wu.Groups = []wireGroup{}
			for _, g := range s.data.groups.list() {
				if containsString(g.MemberIDs, u.ID) {
					wu.Groups = append(wu.Groups, groupWire(g, isoTime(s.now())))
				}
			}
		}
	}
	return wu
}

// orgUsers lists the users of an organization matching keep, sorted by name
// (then id) so pages are stable; the caller holds s.mu.
func (s *Server) orgUsers(orgID string, keep func(*User) bool) []*User {
	var out []*User
	for _, u := range s.sortedUsers() {
		if s.data.userOrg(u) == orgID && keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// listedUsers is orgUsers(orgID, keep) for the list route's state filter
// named state, kept until users change: walking 10k users page by page
// filtered them all for every page. The caller holds s.mu and must not
// change the slice.
func (s *Server) listedUsers(orgID, state string, keep func(*User) bool) []*User {
	k := usersListKey{orgID, state}
	if l, ok := s.data.usersListed[k]; ok {
		return l
	}
	l := s.orgUsers(orgID, keep)
	if s.data.usersListed == nil {
		s.data.usersListed = map[usersListKey][]*User{}
	}
	s.data.usersListed[k] = l
	return l
}

// sortedUsers caches the users in name order until a user is added or
// changed, so paging through 10k users does not sort on every page.
func (s *Server) sortedUsers() []*User {
	if s.data.usersSorted != nil {
		return s.data.usersSorted
	}
	type keyed struct {
		key string
		u   *User
	}
	ks := make([]keyed, 0, len(s.data.users.order))
	for _, u := range s.data.users.list() {
		ks = append(ks, keyed{strings.ToLower(u.Name) + "\x00" + u.ID, u})
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	out := make([]*User, len(ks))
	for i, k := range ks {
		out[i] = k.u
	}
	s.data.usersSorted = out
	return out
}

func stateFilter(state string) (func(*User) bool, bool) {
	switch strings.ToLower(state) {
	case "", "active":
		return func(u *User) bool { return u.State == "active" }, true
	case "inactive":
		return func(u *User) bool { return u.State == "inactive" }, true
	case "deleted":
		return func(u *User) bool { return u.State == "deleted" }, true
	case "any":
		return func(u *User) bool { return true }, true
	}
	return nil, false
}

// GET /api/v2/users (docs/upstreams.md).
func (s *Server) handleListUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, number, ok := s.pageParams(w, r)
	if !ok {
		return
	}
	keep, ok := stateFilter(q.Get("state"))
	if !ok {
		badRequest(w, "state must be one of active, inactive, deleted, any; got "+q.Get("state"))
		return
	}
	ids := multiParam(q, "id")
	desc := false
	switch strings.ToLower(q.Get("sortOrder")) {
	case "", "asc", "ascending":
	case "desc", "descending":
		desc = true
	default:
		badRequest(w, "sortOrder must be ascending or descending; got "+q.Get("sortOrder"))
		return
	}
	expand := multiParam(q, "expand")
	tok := tokenFrom(r)

	s.mu.Lock()
	var users []*User
	if len(ids) == 0 {
		users = s.listedUsers(tok.orgID, strings.ToLower(q.Get("state")), keep)
	} else {
		users = s.orgUsers(tok.orgID, func(u *User) bool { return keep(u) && slices.Contains(ids, u.ID) })
	}
	if desc {
		users = slices.Clone(users) // a listedUsers answer is shared
		slices.Reverse(users)
	}
	page := pageOf(users, size, number)
	entities := make([]wireUser, len(page))
	for i, u := range page {
		entities[i] = s.userWire(u, expand)
	}
	s.mu.Unlock()

	l := newListing(r, users, size, number)
	l.Entities = entities
	writeJSON(w, http.StatusOK, l)
}

// GET /api/v2/users/{userId} (docs/upstreams.md).
func (s *Server) handleGetUser(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("userId")
	state := r.URL.Query().Get("state")
	if state != "" && state != "active" && state != "deleted" {
		badRequest(w, "state must be active or deleted; got "+state)
		return
	}
	tok := tokenFrom(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.data.users.get(id)
	// state=active (the default) finds any user that is not deleted.
	if !ok || s.data.userOrg(u) != tok.orgID || (u.State == "deleted") != (state == "deleted") {
		notFound(w, "user", id)
		return
	}
	writeJSON(w, http.StatusOK, s.userWire(u, multiParam(r.URL.Query(), "expand")))
}

// userContextMessage is what the platform answers on users/me with a
// client-credentials token (measured against a real org; the code is
// [UNVERIFIED]).
const userContextMessage = "This request requires a user context. Client credentials cannot be used for requests to this resource."

// GET /api/v2/users/me (docs/upstreams.md).
func (s *Server) handleUsersMe(w http.ResponseWriter, r *http.Request) {
	tok := tokenFrom(r)
	if tok.userID == "" {
		badRequest(w, userContextMessage)
		return
	}
	expand := multiParam(r.URL.Query(), "expand")
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.data.users.get(tok.userID)
	if !ok {
		notFound(w, "user", tok.userID)
		return
	}
	wu := s.userWire(u, expand)
	if slices.Contains(expand, "organization") {
		wu.Organization = s.orgWire(tok.orgID)
	}
	writeJSON(w, http.StatusOK, wu)
}

// GET /api/v2/tokens/me (docs/upstreams.md).
func (s *Server) handleTokensMe(w http.ResponseWriter, r *http.Request) {
	tok := tokenFrom(r)
	// Model: platformclientv2.Orgoauthclient (name and authorizedGrantType
	// are required).
	type clientRef struct {
		ID                  string      `json:"id"`
		Name                string      `json:"name"`
		AuthorizedGrantType string      `json:"authorizedGrantType"`
		Organization        namedEntity `json:"organization"`
	}
	// Model: platformclientv2.Tokeninfo.
	type tokenInfo struct {
		Organization     namedEntity `json:"organization"`
		HomeOrganization namedEntity `json:"homeOrganization"`
		AuthorizedScope  []string    `json:"authorizedScope"`
		OAuthClient      *clientRef  `json:"OAuthClient,omitempty"`
		// DateTokenIdles is when the token expires (PySDK TokenInfo.md:
		// "the date at which the token is due to expire").
		DateTokenIdles string `json:"dateTokenIdles,omitempty"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	org := namedEntity{ID: tok.orgID, Name: s.data.orgName(tok.orgID)}
	ti := tokenInfo{Organization: org, HomeOrganization: org, AuthorizedScope: append([]string{}, tok.scopes...)}
	if !tok.expires.IsZero() {
		ti.DateTokenIdles = isoTime(tok.expires)
	}
	if c, ok := s.data.clients.get(tok.clientID); ok {
		org := s.data.clientOrg(c)
		ti.OAuthClient = &clientRef{ID: c.ID, Name: c.Name, AuthorizedGrantType: c.GrantType,
			Organization: namedEntity{ID: org, Name: s.data.orgName(org)}}
	}
	writeJSON(w, http.StatusOK, ti)
}

// GET /api/v2/organizations/me.
func (s *Server) handleOrganizationsMe(w http.ResponseWriter, r *http.Request) {
	tok := tokenFrom(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.orgWire(tok.orgID))
}
