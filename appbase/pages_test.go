package appbase_test

import (
	"strings"
	"testing"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/config"
)

func TestExpandPageEscapesAndDropsEmptyParams(t *testing.T) {
	vars := map[string]string{"domain": "DCM_Production.tenant1", "caseId": "7&x=1", "appId": "root_CaseManagement", "phone": "+14155550101"}
	got := appbase.ExpandPage("https://sj.example.com", appbase.DefaultCasePage, vars)
	want := "https://sj.example.com/Ecx.Web/do/root_UTIL_CaseManagement?app=CaseDetailRuntime&group=FOM&usePageConfig=1&Case_Id=7%26x%3D1&EmbeddedMode=1&d=DCM_Production.tenant1"
	if got != want {
		t.Fatalf("case page\n got %s\nwant %s", got, want)
	}
	got = appbase.ExpandPage("https://sj.example.com", appbase.DefaultNewCasePage, vars)
	if !strings.Contains(got, "Phone=%2B14155550101") || strings.Contains(got, "Email=") || strings.Contains(got, "ConversationId=") {
		t.Fatalf("new case page %s: want Phone escaped, empty Email/ConversationId left out", got)
	}
	if got := appbase.ExpandPage("https://sj.example.com", "https://other.example.com/p/{caseId}", vars); got != "https://other.example.com/p/7&x=1" {
		t.Fatalf("absolute template with path placeholder: %s", got)
	}
}

func TestCheckPageTemplate(t *testing.T) {
	for tmpl, want := range map[string]string{
		appbase.DefaultPartyPage: "", appbase.DefaultCasePage: "", appbase.DefaultNewCasePage: "", "root_PartyDetail": "",
		"Ecx.Web/do/x?Party_Id={party}":           "unknown placeholder {party}",
		"@SOLUTION_URL@/Ecx.Web/do/x?id={caseId}": "leftover install placeholder @SOLUTION_URL@",
		"Ecx.Web/do/x?id={caseId}&t=abc":          "t=",
	} {
		err := appbase.CheckPageTemplate(tmpl)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckPageTemplate(%q) = %v, want %q", tmpl, err, want)
		}
	}
}

func TestConfigDefaultPagesMatch(t *testing.T) {
	if config.DefaultPartyPage != appbase.DefaultPartyPage || config.DefaultCasePage != appbase.DefaultCasePage || config.DefaultNewCasePage != appbase.DefaultNewCasePage {
		t.Fatal("config's default pages differ from appbase's")
	}
}

func TestResolvePageThroughTheStockPageRules(t *testing.T) {
	e := newEnv(t, standard)
	c := e.srv.AddCase(appbasetest.Case{CaseID: "CASE-9"})
	got, ok, err := e.c.ResolvePage(ctx(t), "case", c.ID)
	want := e.srv.URL() + "/Ecx.Web/do/root_UTIL_CaseManagement?Case_Id=" + c.ID + "&EmbeddedMode=1&app=CaseDetailRuntime&d=DCM_Production.tenant1&group=FOM&usePageConfig=1"
	if err != nil || !ok || got != want {
		t.Fatalf("ResolvePage(case) = %q %v %v\nwant %q", got, ok, err, want)
	}
	p := e.srv.AddParty(appbasetest.Party{Name: "Ann"})
	if got, ok, err := e.c.ResolvePage(ctx(t), "party", p.ID); err != nil || !ok || !strings.Contains(got, "app=ExternalPartyDetailRuntime") || !strings.Contains(got, "ExternalParty_Id="+p.ID) {
		t.Fatalf("ResolvePage(party) = %q %v %v", got, ok, err)
	}
	// No detail page for the record: the rule points at its error notice.
	if got, ok, err := e.c.ResolvePage(ctx(t), "party", "no-such"); err != nil || ok || got != "" {
		t.Fatalf("ResolvePage(unknown) = %q %v %v, want not ok", got, ok, err)
	}
}
