package genesys

import (
	"context"
	"net/url"
	"time"
)

// RoutingService covers queues and wrap-up codes (docs/upstreams.md).
type RoutingService service

// Queue is a routing queue; the connector needs its name.
type Queue struct {
	ID          string       `json:"id"`
	Name        string       `json:"name,omitempty"`
	Description string       `json:"description,omitempty"`
	Division    *NamedEntity `json:"division,omitempty"`
	MemberCount int          `json:"memberCount,omitempty"`
	SelfURI     string       `json:"selfUri,omitempty"`
}

// WrapupCode translates a wrap-up code id into its name.
type WrapupCode struct {
	ID          string       `json:"id"`
	Name        string       `json:"name,omitempty"`
	Description string       `json:"description,omitempty"`
	Division    *NamedEntity `json:"division,omitempty"`
	DateCreated time.Time    `json:"dateCreated,omitzero"`
	SelfURI     string       `json:"selfUri,omitempty"`
}

// GetQueue returns GET /api/v2/routing/queues/{id}.
func (s *RoutingService) GetQueue(ctx context.Context, id string) (*Queue, error) {
	pid, err := pathID("queue id", id)
	if err != nil {
		return nil, err
	}
	var q Queue
	if err := s.client.do(ctx, get("routing", "/api/v2/routing/queues/{id}", "/api/v2/routing/queues/"+pid, nil), &q); err != nil {
		return nil, err
	}
	return &q, nil
}

// GetWrapupCode returns GET /api/v2/routing/wrapupcodes/{id}.
func (s *RoutingService) GetWrapupCode(ctx context.Context, id string) (*WrapupCode, error) {
	pid, err := pathID("wrap-up code id", id)
	if err != nil {
		return nil, err
	}
	var w WrapupCode
	if err := s.client.do(ctx, get("routing", "/api/v2/routing/wrapupcodes/{id}", "/api/v2/routing/wrapupcodes/"+pid, nil), &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// ListWrapupCodes returns one page of wrap-up codes.
func (s *RoutingService) ListWrapupCodes(ctx context.Context, opts *ListOptions) (*Page[WrapupCode], error) {
	var p Page[WrapupCode]
	if err := s.client.do(ctx, s.wrapupList(opts, 0), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListAllWrapupCodes returns every wrap-up code.
func (s *RoutingService) ListAllWrapupCodes(ctx context.Context) ([]WrapupCode, error) {
	return listAll[WrapupCode](ctx, s.client, s.wrapupList(nil, listAllPageSize))
}

func (s *RoutingService) wrapupList(opts *ListOptions, size int) *request {
	q := url.Values{}
	o := ListOptions{PageSize: size}
	if opts != nil {
		o = *opts
	}
	o.set(q)
	return get("routing", "/api/v2/routing/wrapupcodes", "/api/v2/routing/wrapupcodes", q)
}
