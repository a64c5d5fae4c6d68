package genesys

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// GroupsService covers /api/v2/groups (docs/upstreams.md): the installer's group
// decides who sees the client app.
type GroupsService service

// Group is a directory group. Type is "official" or "social"; Visibility
// "public", "owners" or "members".
type Group struct {
	ID           string    `json:"id,omitempty"`
	Name         string    `json:"name"`
	Description  string    `json:"description,omitempty"`
	Type         string    `json:"type"`
	Visibility   string    `json:"visibility"`
	RulesVisible bool      `json:"rulesVisible"`
	State        string    `json:"state,omitempty"`
	Version      int       `json:"version,omitempty"`
	MemberCount  int       `json:"memberCount,omitempty"`
	DateModified time.Time `json:"dateModified,omitzero"`
	SelfURI      string    `json:"selfUri,omitempty"`
}

// GroupSearchResponse holds matches in Results.
type GroupSearchResponse struct {
	Total      int     `json:"total"`
	PageCount  int     `json:"pageCount"`
	PageSize   int     `json:"pageSize"`
	PageNumber int     `json:"pageNumber"`
	Results    []Group `json:"results"`
}

const groupsPath = "/api/v2/groups"

// Search returns groups whose name starts with prefix (POST /groups/search
// with STARTS_WITH on name, as the premium-app wizard does).
func (s *GroupsService) Search(ctx context.Context, prefix string) ([]Group, error) {
	if prefix == "" {
		return nil, fmt.Errorf("genesys: Groups.Search: prefix is empty")
	}
	body := map[string]any{
		"pageSize": 100,
		"query":    []map[string]any{{"fields": []string{"name"}, "value": prefix, "type": "STARTS_WITH"}},
	}
	var res GroupSearchResponse
	r := &request{method: http.MethodPost, area: "groups", route: groupsPath + "/search", path: groupsPath + "/search", body: body, idempotent: true}
	if err := s.client.do(ctx, r, &res); err != nil {
		return nil, err
	}
	return res.Results, nil
}

// Create creates a group; empty Type and Visibility become official/public.
// Not retried after a 5xx: it could create two.
func (s *GroupsService) Create(ctx context.Context, g *Group) (*Group, error) {
	if g == nil || g.Name == "" {
		return nil, fmt.Errorf("genesys: Groups.Create: Group.Name is empty")
	}
	in := *g
	if in.Type == "" {
		in.Type = "official"
	}
	if in.Visibility == "" {
		in.Visibility = "public"
	}
	var out Group
	r := &request{method: http.MethodPost, area: "groups", route: groupsPath, path: groupsPath, body: &in}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete removes a group.
func (s *GroupsService) Delete(ctx context.Context, id string) error {
	pid, err := pathID("group id", id)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "groups", route: groupsPath + "/{id}", path: groupsPath + "/" + pid, idempotent: true}
	return s.client.do(ctx, r, nil)
}

// AddMembers adds users to a group; version is the group's current version.
func (s *GroupsService) AddMembers(ctx context.Context, groupID string, version int, memberIDs ...string) error {
	pid, err := pathID("group id", groupID)
	if err != nil {
		return err
	}
	if len(memberIDs) == 0 {
		return fmt.Errorf("genesys: Groups.AddMembers: no member ids")
	}
	body := struct {
		MemberIDs []string `json:"memberIds"`
		Version   int      `json:"version"`
	}{memberIDs, version}
	r := &request{method: http.MethodPost, area: "groups", route: groupsPath + "/{id}/members",
		path: groupsPath + "/" + pid + "/members", body: body, idempotent: true}
	return s.client.do(ctx, r, nil)
}
