package main

import (
	"dcmconnect/config"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dcmconnect/genesys/genesystest"
)

// callService posts to a DCMServices method on a running demo stack.
func callService(t *testing.T, d *demoStack, method, bearer, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", d.PublicURL+"/dcm-connect-service/DCMServices.asmx/"+method, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return resp.StatusCode, out
}

func TestWhoAmIJoinsGenesysAndServiceJourneyUsers(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	code, out := callService(t, d, "WhoAmI", d.genesys.UserToken(demoAnnID), "{}")
	if code != 200 {
		t.Fatalf("WhoAmI = %d %v", code, out)
	}
	dd := out["d"].(map[string]any)
	if g := dd["genesys"].(map[string]any); g["id"] != demoAnnID || g["name"] != "Ann Agent" {
		t.Fatalf("genesys user = %v", g)
	}
	sj, ok := dd["serviceJourney"].(map[string]any)
	if !ok || sj["id"] != "101" || sj["status"] != "explicit" {
		t.Fatalf("ServiceJourney user = %v", dd["serviceJourney"])
	}
	// Carla has no ServiceJourney user: WhoAmI says so by leaving it out.
	_, out = callService(t, d, "WhoAmI", d.genesys.UserToken(demoCarlaID), "{}")
	if _, ok := out["d"].(map[string]any)["serviceJourney"]; ok {
		t.Fatalf("unmapped agent got a ServiceJourney user: %v", out)
	}
}

func TestServiceRefusesMissingBadAndForeignTokens(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	if code, _ := callService(t, d, "WhoAmI", "", "{}"); code != 401 {
		t.Fatalf("no token = %d, want 401", code)
	}
	if code, _ := callService(t, d, "WhoAmI", "not-a-token", "{}"); code != 401 {
		t.Fatalf("bad token = %d, want 401", code)
	}
	d.genesys.AddOrg("0ther000-0000-4000-8000-000000000000", "Someone Else")
	stranger := d.genesys.AddUser(genesystest.User{Name: "Stranger", Email: "x@else.example", OrgID: "0ther000-0000-4000-8000-000000000000"})
	code, out := callService(t, d, "WhoAmI", d.genesys.UserToken(stranger.ID), "{}")
	if code != 403 || !strings.Contains(out["Message"].(string), "another organization") {
		t.Fatalf("foreign org token = %d %v", code, out)
	}
	// Supervisor methods: 403 for an agent, data for a supervisor.
	if code, _ := callService(t, d, "GetUserMap", d.genesys.UserToken(demoAnnID), "{}"); code != 403 {
		t.Fatalf("agent GetUserMap = %d, want 403", code)
	}
	code, out = callService(t, d, "GetUserMap", d.genesys.UserToken(demoSamID), "{}")
	if code != 200 {
		t.Fatalf("supervisor GetUserMap = %d %v", code, out)
	}
}

func TestSyncUsersCommand(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	p := filepath.Join(t.TempDir(), "dcmconnect.yaml")
	if err := os.WriteFile(p, []byte(d.configYAML()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCmd(t, nil, "sync", "users", "--json", "--config", p)
	if code != 0 {
		t.Fatalf("sync users exit %d: %s", code, stderr)
	}
	var sum struct {
		OK     bool           `json:"ok"`
		Counts map[string]int `json:"genesysCounts"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if !sum.OK || sum.Counts["explicit"] != 1 || sum.Counts["unmatched"] != 1 || sum.Counts["conflict"] != 1 {
		t.Fatalf("summary = %+v", sum)
	}
	// ServiceJourney refusing the system user: human summary, non-zero exit.
	bad := strings.Replace(d.configYAML(), "systemPassword: "+d.sj.Password(), "systemPassword: wrong", 1)
	os.WriteFile(p, []byte(bad), 0o600)
	out, _, code = runCmd(t, nil, "sync", "users", "--config", p)
	if code == 0 || !strings.Contains(out, "FAILED") {
		t.Fatalf("failing sync: exit %d, stdout %q", code, out)
	}
}

func TestConfigJSHoldsNoSecret(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	for _, path := range []string{"/dcm-connect-docs/config/config.js", "/dcm-connect-service/DCMServices.asmx/GetConfig"} {
		resp, err := http.Get(d.PublicURL + path)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		resp.Body.Close()
		body := b.String()
		if resp.StatusCode != 200 || !strings.Contains(body, demoBrowserClient) {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		for _, secret := range []string{demoCCSecret, d.sj.Password(), d.app.cfg.Genesys.ClientSecret, d.app.cfg.ServiceJourney.SystemPassword} {
			if strings.Contains(body, secret) {
				t.Fatalf("%s contains a secret", path)
			}
		}
	}
}

// TestSupervisorByGroup: a member of a configured supervisor group gets the
// supervisor methods without holding the supervisor permission.
func TestSupervisorByGroup(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{Edit: func(c *config.Config) { c.UserMap.SupervisorGroups = []string{"Team Leads"} }})
	d.genesys.AddGroup(genesystest.Group{Name: "Team Leads", MemberIDs: []string{demoBenID}})
	if code, out := callService(t, d, "GetUserMap", d.genesys.UserToken(demoBenID), "{}"); code != 200 {
		t.Fatalf("team lead GetUserMap = %d %v", code, out)
	}
	if code, _ := callService(t, d, "GetAgentStatus", d.genesys.UserToken(demoBenID), "{}"); code != 200 {
		t.Fatalf("team lead GetAgentStatus = %d", code)
	}
	if code, _ := callService(t, d, "GetUserMap", d.genesys.UserToken(demoAnnID), "{}"); code != 403 {
		t.Fatalf("agent outside the group GetUserMap = %d, want 403", code)
	}
}
