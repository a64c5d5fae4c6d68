package appbase_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/appbase"
)

// A GETUSERS rule that ignores FIRST and sends full pages of rows without
// an ID must still end: repeated rows are recognised by their columns.
func TestGetUsersEndsWhenRuleIgnoresFirstAndRowsLackID(t *testing.T) {
	var ruleCalls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "/AuthenticationServiceRest.svc/login"):
			_, _ = io.WriteString(w, `"tok1234"`)
		case strings.Contains(r.URL.Path, "/DataServiceRest.svc/get.json/"):
			ruleCalls.Add(1)
			rule := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
			fmt.Fprintf(w, `{"DATA":{%q:{"ITEMS":[{"LOGIN":"a","EMAIL":"a@x.org"},{"LOGIN":"b","EMAIL":"b@x.org"}],"ERRORCODE":null}}}`, rule)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := appbase.New(appbase.Options{
		URL: srv.URL, Domain: "D.tenant1", User: "sys", Password: "secret-pw", PageSize: 2,
		Registerer: prometheus.NewRegistry(), Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	cx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	users, err := c.GetUsers(cx)
	if err != nil {
		t.Fatalf("GetUsers: %v after %d rule calls (paging never ended)", err, ruleCalls.Load())
	}
	if len(users) != 2 || users[0].Login != "a" || users[1].Login != "b" {
		t.Fatalf("users = %+v, want a and b once", users)
	}
	if n := ruleCalls.Load(); n != 2 {
		t.Errorf("rule calls = %d, want 2 (the second page repeats the first)", n)
	}
}

// A users rule that caps its pages below LIMIT and sends no total: a short
// page is not the end, or every user past the first page would be missing.
func TestGetUsersReadsPastPagesCappedBelowLimit(t *testing.T) {
	const all, capped = 250, 100
	var ruleCalls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "/AuthenticationServiceRest.svc/login"):
			_, _ = io.WriteString(w, `"tok1234"`)
		case strings.Contains(r.URL.Path, "/DataServiceRest.svc/get.json/"):
			ruleCalls.Add(1)
			first := 0
			fmt.Sscan(r.URL.Query().Get("FIRST"), &first)
			var rows []string
			for i := first; i < all && i < first+capped; i++ {
				rows = append(rows, fmt.Sprintf(`{"ID":%d,"LOGIN":"u%d"}`, i+1, i))
			}
			rule := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
			fmt.Fprintf(w, `{"DATA":{%q:{"ITEMS":[%s],"ERRORCODE":null}}}`, rule, strings.Join(rows, ","))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := appbase.New(appbase.Options{
		URL: srv.URL, Domain: "D.tenant1", User: "sys", Password: "secret-pw", PageSize: 500,
		Registerer: prometheus.NewRegistry(), Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	cx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	users, err := c.GetUsers(cx)
	if err != nil || len(users) != all {
		t.Fatalf("GetUsers = %d users, %v; want %d", len(users), err, all)
	}
	if n := ruleCalls.Load(); n != 4 {
		t.Errorf("rule calls = %d, want 4 (three pages and the empty one that ends it)", n)
	}
}
