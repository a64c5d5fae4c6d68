package genesystest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse runs seeding, faults, token grants and API calls at once;
// with -race it proves the server's state is guarded.
func TestConcurrentUse(t *testing.T) {
	s := newFake(t)
	s.AddClient(Client{ID: "c", Secret: "s"})
	conv := seedCall(s, time.Now().UTC(), "", "", "")
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for i := range 50 {
		wg.Add(4)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", s.URL()+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("c", "s")
			var tr struct {
				AccessToken string `json:"access_token"`
			}
			if err := callInto(req, &tr); err != nil {
				errs <- err
				return
			}
			if err := get(s, "/api/v2/users?expand=presence", tr.AccessToken); err != nil {
				errs <- err
			}
		}()
		go func() {
			defer wg.Done()
			u := s.AddUser(User{Name: fmt.Sprintf("U%d", i)})
			_ = s.UpdateUser(u.ID, func(u *User) { u.Presence = "AVAILABLE" })
			if err := get(s, "/api/v2/users/me", s.UserToken(u.ID)); err != nil {
				errs <- err
			}
		}()
		go func() {
			defer wg.Done()
			_ = s.UpdateConversation(conv.ID, func(c *Conversation) { c.Participants[0].Attributes[fmt.Sprint(i)] = "x" })
			_, _ = s.Conversation(conv.ID)
			_ = s.Users()
		}()
		go func() {
			defer wg.Done()
			s.Fault("GET /api/v2/organizations/me", Fault{Latency: time.Millisecond, Times: 1})
			_ = s.Requests("GET /api/v2/users")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := s.TokenRequests(); got != 50 {
		t.Fatalf("TokenRequests = %d, want 50", got)
	}
}

// callInto and get are goroutine-safe: they return errors instead of
// calling t.Fatal off the test goroutine.
func callInto(req *http.Request, v any) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	if v == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func get(s *Server, path, token string) error {
	req, err := http.NewRequest("GET", s.URL()+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return callInto(req, nil)
}
