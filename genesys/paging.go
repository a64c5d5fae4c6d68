package genesys

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Page is one page of a Genesys entity listing (docs/upstreams.md).
type Page[T any] struct {
	Entities    []T    `json:"entities"`
	PageSize    int    `json:"pageSize"`
	PageNumber  int    `json:"pageNumber"`
	Total       int    `json:"total"`
	PageCount   int    `json:"pageCount"`
	FirstURI    string `json:"firstUri,omitempty"`
	NextURI     string `json:"nextUri,omitempty"` // empty on the last page
	PreviousURI string `json:"previousUri,omitempty"`
	LastURI     string `json:"lastUri,omitempty"`
	SelfURI     string `json:"selfUri,omitempty"`
}

// ListOptions page a listing. Zero values use the Genesys defaults
// (pageSize 25, pageNumber 1); the ListAll helpers default to 100 a page.
type ListOptions struct {
	PageSize   int
	PageNumber int
}

func (o ListOptions) set(q url.Values) {
	if o.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(o.PageSize))
	}
	if o.PageNumber > 0 {
		q.Set("pageNumber", strconv.Itoa(o.PageNumber))
	}
}

// listAllPageSize is the page size the ListAll helpers ask for when none is
// given: fewer round trips than the default 25, and within every listing's
// maximum we know of (the maxima are UNVERIFIED, docs/upstreams.md).
const listAllPageSize = 100

// maxPages stops a listing that never ends (a server bug) from running forever.
const maxPages = 100_000

// listAll fetches first and follows nextUri until it is absent, collecting
// every entity. Each page is requested once.
func listAll[T any](ctx context.Context, c *Client, first *request) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, first, func(p *Page[T]) error {
		if all == nil && p.Total > 0 && p.Total <= 1_000_000 {
			all = make([]T, 0, p.Total)
		}
		all = append(all, p.Entities...)
		return nil
	})
	return all, err
}

// eachPage calls fn with every page, following nextUri.
func eachPage[T any](ctx context.Context, c *Client, first *request, fn func(*Page[T]) error) error {
	r := *first
	seen := map[string]bool{}
	for n := 0; ; n++ {
		if n >= maxPages {
			return fmt.Errorf("genesys: %s %s: more than %d pages; stopping", r.method, r.route, maxPages)
		}
		var p Page[T]
		if err := c.do(ctx, &r, &p); err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		if p.NextURI == "" || len(p.Entities) == 0 {
			return nil
		}
		if seen[p.NextURI] {
			return fmt.Errorf("genesys: %s %s: nextUri %q repeats; Genesys paging is looping", r.method, r.route, p.NextURI)
		}
		seen[p.NextURI] = true
		path, err := c.core.nextPath(p.NextURI)
		if err != nil {
			return fmt.Errorf("genesys: %s %s: %w", r.method, r.route, err)
		}
		r.path, r.query = path, nil
	}
}

// nextPath turns a nextUri into a path+query below APIURL. Genesys sends it
// relative ("/api/v2/users?pageSize=25&pageNumber=2"); an absolute one must
// name the API host, or the token would be sent elsewhere.
func (co *core) nextPath(next string) (string, error) {
	u, err := url.Parse(next)
	if err != nil {
		return "", fmt.Errorf("unparsable nextUri %q: %w", next, err)
	}
	if u.Host != "" && !strings.EqualFold(u.Host, co.apiHost) {
		return "", fmt.Errorf("nextUri %q points to another host than %s; refusing to follow it", next, co.apiHost)
	}
	p := u.EscapedPath()
	if base := co.apiURL.EscapedPath(); base != "" && strings.HasPrefix(p, base+"/api/v2/") {
		p = strings.TrimPrefix(p, base) // absolute form that repeats a proxy prefix
	}
	if !strings.HasPrefix(p, "/api/v2/") {
		return "", fmt.Errorf("nextUri %q is not an /api/v2/ path", next)
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, nil
}

// NamedEntity is a reference to another object ({id, name, selfUri}).
type NamedEntity struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// pathID escapes an id for use as one path segment and refuses empty ones,
// which would silently address the collection instead.
func pathID(field, id string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", fmt.Errorf("genesys: %s is empty", field)
	}
	return url.PathEscape(id), nil
}
