package genesys

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// UsersService covers /api/v2/users (docs/upstreams.md).
type UsersService service

// User is a Genesys user (docs/upstreams.md). Presence, RoutingStatus,
// Authorization and Groups are filled only when expanded.
type User struct {
	ID                 string             `json:"id"`
	Name               string             `json:"name,omitempty"`
	Email              string             `json:"email,omitempty"`
	Username           string             `json:"username,omitempty"`
	State              string             `json:"state,omitempty"` // active, inactive, deleted
	Division           *NamedEntity       `json:"division,omitempty"`
	Department         string             `json:"department,omitempty"`
	Title              string             `json:"title,omitempty"`
	Manager            *NamedEntity       `json:"manager,omitempty"`
	Version            int                `json:"version,omitempty"`
	PreferredName      string             `json:"preferredName,omitempty"`
	PrimaryContactInfo []Contact          `json:"primaryContactInfo,omitempty"`
	Addresses          []Contact          `json:"addresses,omitempty"`
	Chat               *Chat              `json:"chat,omitempty"`
	DateLastLogin      time.Time          `json:"dateLastLogin,omitzero"`
	Presence           *UserPresence      `json:"presence,omitempty"`
	RoutingStatus      *RoutingStatus     `json:"routingStatus,omitempty"`
	Authorization      *UserAuthorization `json:"authorization,omitempty"`
	Groups             []NamedEntity      `json:"groups,omitempty"`
	SelfURI            string             `json:"selfUri,omitempty"`
}

// Contact is one address of a user.
type Contact struct {
	Address     string `json:"address,omitempty"`
	Display     string `json:"display,omitempty"`
	MediaType   string `json:"mediaType,omitempty"` // PHONE, EMAIL, SMS
	Type        string `json:"type,omitempty"`      // PRIMARY, WORK, MOBILE, ...
	Extension   string `json:"extension,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
}

// Chat holds the user's chat identity.
type Chat struct {
	JabberID string `json:"jabberId,omitempty"`
}

// UserPresence is the expand=presence block (PySDK UserPresence.md).
type UserPresence struct {
	ID                 string              `json:"id,omitempty"`
	Name               string              `json:"name,omitempty"`
	Source             string              `json:"source,omitempty"`
	Primary            bool                `json:"primary,omitempty"`
	PresenceDefinition *PresenceDefinition `json:"presenceDefinition,omitempty"`
	Message            string              `json:"message,omitempty"`
	ModifiedDate       time.Time           `json:"modifiedDate,omitzero"`
}

// PresenceDefinition: SystemPresence is Available, Away, Busy, Offline, OnQueue, ...
type PresenceDefinition struct {
	ID             string `json:"id,omitempty"`
	SystemPresence string `json:"systemPresence,omitempty"`
	SelfURI        string `json:"selfUri,omitempty"`
}

// RoutingStatus is the expand=routingStatus block; Status is OFF_QUEUE,
// IDLE, INTERACTING, NOT_RESPONDING or COMMUNICATING.
type RoutingStatus struct {
	UserID    string    `json:"userId,omitempty"`
	Status    string    `json:"status,omitempty"`
	StartTime time.Time `json:"startTime,omitzero"`
}

// UserAuthorization is the expand=authorization block.
type UserAuthorization struct {
	Roles       []NamedEntity `json:"roles,omitempty"`
	UnusedRoles []NamedEntity `json:"unusedRoles,omitempty"`
	Permissions []string      `json:"permissions,omitempty"`
}

// UserMe is GET /api/v2/users/me: the user plus what only /me expands.
type UserMe struct {
	User
	Organization *Organization `json:"organization,omitempty"`
	Token        *TokenInfo    `json:"token,omitempty"`
}

// UserListOptions filter GET /api/v2/users.
type UserListOptions struct {
	PageSize   int
	PageNumber int
	// State is active (Genesys default), inactive, deleted or any.
	State string
	// Expand names blocks to fill, e.g. "presence", "routingStatus".
	Expand []string
	// IDs fetches these users only.
	IDs       []string
	SortOrder string // ascending or descending
}

var userStates = []string{"active", "inactive", "deleted", "any"}

func (o *UserListOptions) query() (url.Values, error) {
	q := url.Values{}
	if o == nil {
		return q, nil
	}
	ListOptions{o.PageSize, o.PageNumber}.set(q)
	if o.State != "" {
		if !slices.Contains(userStates, o.State) {
			return nil, fmt.Errorf("genesys: UserListOptions.State %q is not one of %s", o.State, strings.Join(userStates, ", "))
		}
		q.Set("state", o.State)
	}
	setList(q, "expand", o.Expand)
	setList(q, "id", o.IDs)
	if o.SortOrder != "" {
		q.Set("sortOrder", o.SortOrder)
	}
	return q, nil
}

// List returns one page of users.
func (s *UsersService) List(ctx context.Context, opts *UserListOptions) (*Page[User], error) {
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	var p Page[User]
	if err := s.client.do(ctx, get("users", "/api/v2/users", "/api/v2/users", q), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListAll returns every user matching opts, following nextUri from the
// first page (opts.PageNumber, default 1) to the last.
func (s *UsersService) ListAll(ctx context.Context, opts *UserListOptions) ([]User, error) {
	o := UserListOptions{}
	if opts != nil {
		o = *opts
	}
	if o.PageSize == 0 {
		o.PageSize = listAllPageSize
	}
	q, err := o.query()
	if err != nil {
		return nil, err
	}
	return listAll[User](ctx, s.client, get("users", "/api/v2/users", "/api/v2/users", q))
}

// Get returns one user; an unknown id gives an error matching ErrNotFound.
func (s *UsersService) Get(ctx context.Context, id string, expand ...string) (*User, error) {
	pid, err := pathID("user id", id)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	setList(q, "expand", expand)
	var u User
	if err := s.client.do(ctx, get("users", "/api/v2/users/{id}", "/api/v2/users/"+pid, q), &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// Me returns the token's own user. It needs a user token (WithToken): a
// client-credentials token has no user (docs/upstreams.md).
func (s *UsersService) Me(ctx context.Context, expand ...string) (*UserMe, error) {
	q := url.Values{}
	setList(q, "expand", expand)
	var u UserMe
	if err := s.client.do(ctx, get("users", "/api/v2/users/me", "/api/v2/users/me", q), &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// UserSearchRequest is the body of POST /api/v2/users/search (docs/upstreams.md).
type UserSearchRequest struct {
	PageSize   int                  `json:"pageSize,omitempty"`
	PageNumber int                  `json:"pageNumber,omitempty"`
	SortOrder  string               `json:"sortOrder,omitempty"`
	SortBy     string               `json:"sortBy,omitempty"`
	Expand     []string             `json:"expand,omitempty"`
	Query      []UserSearchCriteria `json:"query"`
}

// UserSearchCriteria: Type is EXACT, STARTS_WITH, CONTAINS, ...
type UserSearchCriteria struct {
	Type     string               `json:"type"`
	Fields   []string             `json:"fields,omitempty"`
	Value    string               `json:"value,omitempty"`
	Values   []string             `json:"values,omitempty"`
	Operator string               `json:"operator,omitempty"`
	Group    []UserSearchCriteria `json:"group,omitempty"`
}

// UserSearchResponse holds matches in Results, not Entities (docs/upstreams.md).
type UserSearchResponse struct {
	Total      int    `json:"total"`
	PageCount  int    `json:"pageCount"`
	PageSize   int    `json:"pageSize"`
	PageNumber int    `json:"pageNumber"`
	NextPage   string `json:"nextPage,omitempty"` // q64 token
	Results    []User `json:"results"`
}

// Search runs a user search. It reads only, so it is retried like a GET.
func (s *UsersService) Search(ctx context.Context, req *UserSearchRequest) (*UserSearchResponse, error) {
	if req == nil || len(req.Query) == 0 {
		return nil, fmt.Errorf("genesys: Users.Search: UserSearchRequest.Query is empty")
	}
	var res UserSearchResponse
	r := &request{method: http.MethodPost, area: "users", route: "/api/v2/users/search",
		path: "/api/v2/users/search", body: req, idempotent: true}
	if err := s.client.do(ctx, r, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// SearchByEmail returns the users whose email is exactly email.
func (s *UsersService) SearchByEmail(ctx context.Context, email string, expand ...string) ([]User, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, fmt.Errorf("genesys: Users.SearchByEmail: email is empty")
	}
	res, err := s.Search(ctx, &UserSearchRequest{
		PageSize: 25, PageNumber: 1, Expand: expand,
		Query: []UserSearchCriteria{{Type: "EXACT", Fields: []string{"email"}, Value: email}},
	})
	if err != nil {
		return nil, err
	}
	return res.Results, nil
}

// setList sends a list as one comma-separated value, as the Genesys SDKs do.
func setList(q url.Values, key string, vals []string) {
	if len(vals) > 0 {
		q.Set(key, strings.Join(vals, ","))
	}
}
