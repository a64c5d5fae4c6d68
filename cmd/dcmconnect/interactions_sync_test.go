package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `dcmconnect sync interactions` against the demo's fakes: the finished
// conversations are logged once each with their final wrap-ups, the open
// ones are not, the watermark lands in ServiceJourney, and a second run
// (the same window again, with --since) doubles nothing.
func TestSyncInteractionsCommand(t *testing.T) {
	t.Parallel()
	d, err := startDemo(demoOptions{Listen: "127.0.0.1:0", GenesysAddr: "127.0.0.1:0", SJAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	path := filepath.Join(t.TempDir(), "dcmconnect.yaml")
	if err := os.WriteFile(path, []byte(d.configYAML()), 0o600); err != nil {
		t.Fatal(err)
	}

	out, errs, code := runCmd(t, nil, "sync", "interactions", "--json", "--config", path)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	var sum struct {
		OK                                   bool
		Final, AwaitingWrapup, Open, Pending int
		StateSaved                           bool
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	// 4 wrapped up + the outbound call; Carla's call waits for its wrap-up;
	// the five demo calls on the agent page are still open.
	if !sum.OK || sum.Final != 4 || sum.AwaitingWrapup != 1 || sum.Open != 5 || sum.Pending != 6 || !sum.StateSaved {
		t.Fatalf("summary: %s", out)
	}
	check := func() {
		t.Helper()
		byConv := map[string]int{}
		for _, in := range d.sj.Interactions() {
			byConv[in.ConversationID]++
		}
		if len(byConv) != 5 {
			t.Fatalf("records for %d conversations, want 5: %v", len(byConv), byConv)
		}
		for id, n := range byConv {
			if n != 1 {
				t.Errorf("%d records for %s", n, id)
			}
		}
		for id, want := range map[string]struct{ agent, wrapup, party string }{
			demoDoneAlice: {"101", "Resolved", "P-1"}, demoDoneBrown: {"102", "Callback needed", ""},
			demoDoneTransfer: {"102", "Resolved", "P-1"}, demoDoneOutbound: {"101", "Resolved", "P-5"}, demoDoneACW: {"", "", ""},
		} {
			r, _ := d.sj.Interaction(id)
			if r.AgentUserID != want.agent || r.WrapupName != want.wrapup || r.PartyID != want.party || r.End.IsZero() {
				t.Errorf("%s: %+v; want agent %q wrap-up %q party %q", id, r, want.agent, want.wrapup, want.party)
			}
		}
		if r, _ := d.sj.Interaction(demoDoneOutbound); r.Direction != "outbound" || r.DNIS != "+14155550123" {
			t.Errorf("outbound record: %+v", r)
		}
	}
	check()
	if st := d.sj.SyncState("interactions"); !strings.Contains(st, `"watermark"`) || !strings.Contains(st, demoConvOne) {
		t.Errorf("stored state %s", st)
	}

	out, errs, code = runCmd(t, nil, "--config", path, "sync", "interactions", "--since", "2h")
	if code != 0 || !strings.Contains(out, "interaction sync ok") {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, errs)
	}
	check()

	if _, errs, code = runCmd(t, nil, "sync", "interactions", "--since", "soon", "--config", path); code != exitUsage {
		t.Errorf("bad --since: exit %d %s", code, errs)
	}
	if _, errs, code = runCmd(t, nil, "sync", "interactions", "--since", "-1h", "--config", path); code != exitUsage || !strings.Contains(errs, "positive duration") {
		t.Errorf("negative --since: exit %d %s", code, errs)
	}
}
