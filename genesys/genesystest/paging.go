package genesystest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// listing is the paged entity listing every list endpoint returns
// (docs/upstreams.md). The *Uri fields are relative; nextUri is absent on the last page.
type listing struct {
	Entities    any    `json:"entities"`
	PageSize    int    `json:"pageSize"`
	PageNumber  int    `json:"pageNumber"`
	Total       int    `json:"total"`
	PageCount   int    `json:"pageCount"`
	FirstURI    string `json:"firstUri,omitempty"`
	SelfURI     string `json:"selfUri,omitempty"`
	NextURI     string `json:"nextUri,omitempty"`
	PreviousURI string `json:"previousUri,omitempty"`
	LastURI     string `json:"lastUri,omitempty"`
}

const defaultPageSize = 25

// pageParams reads pageSize (default 25, clamped to the configured maximum)
// and pageNumber (default 1, 1-based); it answers 400 itself on bad values.
func (s *Server) pageParams(w http.ResponseWriter, r *http.Request) (size, number int, ok bool) {
	q := r.URL.Query()
	size, number = defaultPageSize, 1
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			badRequest(w, "pageSize must be a positive integer, got "+strconv.Quote(v))
			return 0, 0, false
		}
		size = min(n, s.opts.maxPageSize)
	}
	if v := q.Get("pageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			badRequest(w, "pageNumber must be an integer of at least 1, got "+strconv.Quote(v))
			return 0, 0, false
		}
		number = n
	}
	return size, number, true
}

// pageOf cuts one page out of all items.
func pageOf[T any](all []T, size, number int) []T {
	start := (number - 1) * size
	if start >= len(all) {
		return []T{}
	}
	return all[start:min(start+size, len(all))]
}

func pageCount(total, size int) int { return (total + size - 1) / size }

// newListing builds a listing page with URIs that keep the request's other
// query parameters, so following nextUri repeats the same query.
func newListing[T any](r *http.Request, all []T, size, number int) listing {
	total := len(all)
	pages := pageCount(total, size)
	uri := func(n int) string {
		q := r.URL.Query()
		q.Set("pageSize", strconv.Itoa(size))
		q.Set("pageNumber", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	l := listing{
		Entities:   pageOf(all, size, number),
		PageSize:   size,
		PageNumber: number,
		Total:      total,
		PageCount:  pages,
		FirstURI:   uri(1),
		SelfURI:    uri(number),
		LastURI:    uri(max(pages, 1)),
	}
	if number < pages {
		l.NextURI = uri(number + 1)
	}
	if number > 1 {
		l.PreviousURI = uri(min(number-1, max(pages, 1)))
	}
	return l
}

// multiParam reads a list parameter given as a comma list, repeated keys or
// both (GoSDK joins with commas, docs/upstreams.md).
func multiParam(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
