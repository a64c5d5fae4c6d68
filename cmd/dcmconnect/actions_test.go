package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// callAction posts a data action's input to the demo as Genesys would:
// Basic credential and ININ-Organization-Id.
func callAction(t *testing.T, d *demoStack, path, user, pass, org, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", d.PublicURL+"/dcm-connect-service/actions/v1"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(user, pass)
	req.Header.Set("ININ-Organization-Id", org)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestDemoServesTheDataActions: the demo configuration turns the data-action
// endpoints on, and they answer with the demo credential from our org only.
func TestDemoServesTheDataActions(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	code, out := callAction(t, d, "/parties/lookup", demoActionsUser, demoActionsPassword, demoOrgID, `{"phone":"tel:+14155550101"}`)
	if code != 200 || out["found"] != true || out["partyId"] != "P-1" || out["name"] != "Alice Customer" {
		t.Fatalf("known caller = %d %v", code, out)
	}
	code, out = callAction(t, d, "/cases/lookup", demoActionsUser, demoActionsPassword, demoOrgID, `{"caseNumber":"CASE-0001"}`)
	if code != 200 || out["found"] != true {
		t.Fatalf("case lookup = %d %v", code, out)
	}
	code, out = callAction(t, d, "/conversations/pop", demoActionsUser, demoActionsPassword, demoOrgID, `{"conversationId":"`+demoConvCase+`"}`)
	if code != 200 || out["found"] != true || out["kind"] != "case" || out["caseNumber"] != "CASE-0001" {
		t.Fatalf("pop target = %d %v", code, out)
	}
	if code, _ := callAction(t, d, "/parties/lookup", demoActionsUser, "wrong-password-guess", demoOrgID, `{"phone":"+14155550101"}`); code != 401 {
		t.Fatalf("wrong password = %d, want 401", code)
	}
	if code, _ := callAction(t, d, "/parties/lookup", demoActionsUser, demoActionsPassword, "00000000-0000-4000-8000-000000000000", `{"phone":"+14155550101"}`); code != 403 {
		t.Fatalf("another org = %d, want 403", code)
	}
}
