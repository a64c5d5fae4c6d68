package config

import (
	"errors"
	"strings"
	"testing"
)

func TestRegionsAreTheSeventeenFromTheFactsSheet(t *testing.T) {
	want := map[string]string{
		"us_east_1": "mypurecloud.com", "eu_west_1": "mypurecloud.ie", "ap_southeast_2": "mypurecloud.com.au",
		"ap_northeast_1": "mypurecloud.jp", "eu_central_1": "mypurecloud.de", "us_west_2": "usw2.pure.cloud",
		"ca_central_1": "cac1.pure.cloud", "ap_northeast_2": "apne2.pure.cloud", "eu_west_2": "euw2.pure.cloud",
		"ap_south_1": "aps1.pure.cloud", "us_east_2": "use2.us-gov-pure.cloud", "sa_east_1": "sae1.pure.cloud",
		"me_central_1": "mec1.pure.cloud", "ap_northeast_3": "apne3.pure.cloud", "eu_central_2": "euc2.pure.cloud",
		"mx_central_1": "mxc1.pure.cloud", "ap_southeast_1": "apse1.pure.cloud",
	}
	got := Regions()
	if len(got) != 17 || len(want) != 17 {
		t.Fatalf("got %d regions, want 17", len(got))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Regions()[%s] = %q, want %q", k, got[k], v)
		}
	}
	got["us_east_1"] = "changed"
	if Regions()["us_east_1"] != "mypurecloud.com" {
		t.Error("Regions() must return a copy")
	}
}

func TestEnvironmentAcceptsEveryFormForEveryRegion(t *testing.T) {
	for key, env := range Regions() {
		inputs := []string{
			env,
			strings.ToUpper(env),
			key,
			strings.ReplaceAll(key, "_", "-"),
			"api." + env,
			"api." + env + "/",
			"https://api." + env,
			"https://apps." + env + "/directory/#/admin/integrations",
			"https://login." + env,
			"https://login." + env + ":443/oauth/authorize?client_id=x",
			"  " + env + "  ",
			"https://sj.example.com/dcm-connect-docs/wizard/index.html?response_type=token&state=pcEnvironment=" + env,
		}
		for _, in := range inputs {
			got, err := Environment(in)
			if err != nil || got != env {
				t.Errorf("Environment(%q) = %q, %v; want %q", in, got, err, env)
			}
		}
	}
}

func TestEnvironmentRejectsUnknownWithAcceptedForms(t *testing.T) {
	for _, in := range []string{"", "example.com", "https://apps.example.com/", "eu_west_9", "mypurecloud", "://bad"} {
		got, err := Environment(in)
		if err == nil {
			t.Errorf("Environment(%q) = %q, want an error", in, got)
			continue
		}
		var ee *EnvironmentError
		if !errors.As(err, &ee) {
			t.Errorf("Environment(%q): error %T, want *EnvironmentError", in, err)
		}
		msg := err.Error()
		for _, want := range []string{"region key such as eu_west_1", "https://apps.mypurecloud.ie/", "usw2.pure.cloud", "mypurecloud.com.au"} {
			if !strings.Contains(msg, want) {
				t.Errorf("Environment(%q) error %q does not mention %q", in, msg, want)
			}
		}
	}
}

func TestEnvironmentSuggestsNearMiss(t *testing.T) {
	_, err := Environment("mypurecloud.i")
	var ee *EnvironmentError
	if !errors.As(err, &ee) || ee.Suggestion != "mypurecloud.ie" {
		t.Fatalf("Environment(mypurecloud.i) suggestion = %+v, want mypurecloud.ie", ee)
	}
	_, err = Environment("usw2.pure.clod")
	if !errors.As(err, &ee) || ee.Suggestion != "usw2.pure.cloud" {
		t.Fatalf("suggestion = %+v, want usw2.pure.cloud", ee)
	}
}

func TestBaseURLs(t *testing.T) {
	c := mustParse(t, validYAML)
	if got := c.APIBaseURL(); got != "https://api.mypurecloud.ie" {
		t.Errorf("APIBaseURL = %q", got)
	}
	if got := c.LoginBaseURL(); got != "https://login.mypurecloud.ie" {
		t.Errorf("LoginBaseURL = %q", got)
	}
	if got := c.AppsOrigin(); got != "https://apps.mypurecloud.ie" {
		t.Errorf("AppsOrigin = %q", got)
	}
	c = mustParse(t, validYAML, "DCM_GENESYS_APIURL=http://127.0.0.1:9000/", "DCM_GENESYS_LOGIN_URL=http://127.0.0.1:9001")
	if c.APIBaseURL() != "http://127.0.0.1:9000" || c.LoginBaseURL() != "http://127.0.0.1:9001" {
		t.Errorf("overrides: api %q login %q", c.APIBaseURL(), c.LoginBaseURL())
	}
	if c.AppsOrigin() != "https://apps.mypurecloud.ie" {
		t.Errorf("AppsOrigin must not follow the API override: %q", c.AppsOrigin())
	}
}

func TestPastedEnvironmentIsStoredAsDomain(t *testing.T) {
	yml := replaceLine(t, validYAML, "environment:", "environment: https://apps.usw2.pure.cloud/directory/#/person/123")
	c := mustParse(t, yml)
	if c.Genesys.Environment != "usw2.pure.cloud" {
		t.Fatalf("environment = %q, want usw2.pure.cloud", c.Genesys.Environment)
	}
}

func TestUnknownEnvironmentIsAProblem(t *testing.T) {
	yml := replaceLine(t, validYAML, "environment:", "environment: mypurecloud.eu")
	_, ps := Parse([]byte(yml), nil)
	p := onlyProblem(t, ps, "genesys.environment", false)
	if !strings.Contains(p.Message, `"mypurecloud.eu"`) || !strings.Contains(p.Message, "line 5") || !strings.Contains(p.Fix, "eu_west_1") {
		t.Fatalf("problem = %s", p)
	}
}
