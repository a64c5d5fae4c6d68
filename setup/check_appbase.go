package setup

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// A probe calls one contract rule so that it cannot change real data.
//
// Reads get inputs no record has. Writes (SETUSERMAPPING, UPSERTINTERACTION,
// SETSYNCSTATE) are called WITHOUT their key input (USERID, CONVERSATIONID,
// NAME): the contract (README) makes those keys required, so a conforming
// rule rejects the call with its own ERRORCODE before writing. What the probe
// looks for is only that AppBase does not answer "rule not found": a rule
// error, or a success, proves the rule exists. (AppBase has no public "does
// this rule exist" call (docs/upstreams.md), so a harmless call is the only way.)
type probe struct {
	op     string
	write  bool
	key    string // the key input a write probe leaves out
	params map[string]string
}

// probeName is a sync-state name and party/case id no solution uses.
const probeName = "DCMCONNECT_SETUP_PROBE"

// probes run GETSYNCSTATE first: it is the cheapest read and tells whether
// the domain exists before the other rules are tried.
var probes = []probe{
	{op: appbase.OpGetSyncState, params: map[string]string{"NAME": probeName}},
	{op: appbase.OpGetUsers, params: map[string]string{"FIRST": "0", "LIMIT": "50"}},
	{op: appbase.OpSetUserMapping, write: true, key: "USERID", params: map[string]string{}},
	{op: appbase.OpFindParties, params: map[string]string{"PARTYID": probeName}},
	{op: appbase.OpFindCases, params: map[string]string{"CASEID": probeName}},
	{op: appbase.OpUpsertInteraction, write: true, key: "CONVERSATIONID", params: map[string]string{}},
	{op: appbase.OpSetSyncState, write: true, key: "NAME", params: map[string]string{}},
}

func (c *Checker) appbaseChecks(ctx context.Context, _ *genesys.Client, add func(...Line)) {
	ab := c.o.AppBase
	skipRest := func(because string) {
		add(skipped("sj.domain", Step1, "domain answers", because),
			skipped("sj.userSchema", Step3, "PURECLOUD_USERID column", because))
		for _, p := range probes {
			add(skipped("sj.rule."+p.op, Step8, ab.RuleName(p.op), because))
		}
	}
	if !c.loginChecks(ctx, add) {
		skipRest("the system user could not log in")
		return
	}
	var domainOK bool
	var users *appbase.Result
	var usersErr error
	for i, p := range probes {
		var res *appbase.Result
		l := c.step(ctx, func(ctx context.Context) Line {
			var err error
			res, err = c.runProbe(ctx, p)
			if p.op == appbase.OpGetUsers {
				users, usersErr = res, err
			}
			if isDomainError(err) {
				return line("sj.domain", Step1, "domain answers", Fail, fmt.Sprintf("ServiceJourney does not know the domain %q: %s", ab.Domain(), errMessage(err)),
					"set servicejourney.domain to the DOMAIN_CODE from the ServiceJourney URL (step 1), e.g. DCM_Production.tenant1")
			}
			if err == nil || appbase.IsRuleError(err) || appbase.IsRuleNotFound(err) {
				domainOK = true
			}
			return probeLine(ab, p, res, err)
		})
		if l.ID == "sj.domain" {
			add(l, skipped("sj.userSchema", Step3, "PURECLOUD_USERID column", "the domain is unknown"))
			for _, q := range probes[i:] {
				add(skipped("sj.rule."+q.op, Step8, ab.RuleName(q.op), "the domain is unknown"))
			}
			return
		}
		add(l)
	}
	if domainOK {
		add(line("sj.domain", Step1, "domain answers", Pass, fmt.Sprintf("domain %q runs rules", ab.Domain()), ""))
	} else {
		add(line("sj.domain", Step1, "domain answers", Warn, fmt.Sprintf("no rule answered in domain %q, so the domain could not be confirmed", ab.Domain()),
			"fix the rule lines below; check servicejourney.domain (DOMAIN_CODE, step 1)"))
	}
	add(userSchemaLine(ab, users, usersErr))
	if l, ok := c.caseWorkerLine(ctx); ok {
		add(l)
	}
}

// caseWorkerLine: the standard searches return nothing, without an error,
// for a caller who is no active Case Worker, so an install where every
// search comes back empty would look healthy. Only the standard profile can
// ask (through the case-worker search).
func (c *Checker) caseWorkerLine(ctx context.Context) (Line, bool) {
	const id, check = "sj.caseWorker", "system user is a Case Worker"
	var l Line
	var known bool
	c.step(ctx, func(ctx context.Context) Line {
		is, ok, err := c.o.AppBase.SystemUserIsCaseWorker(ctx)
		known = ok
		switch {
		case !ok:
		case err != nil:
			l = line(id, Step4, check, Warn, "could not ask the case-worker search: "+errMessage(err), "fix the GETUSERS line above, then check again")
		case !is:
			l = line(id, Step4, check, Fail, "the system user has no active Case Worker record, so the standard party and case searches return nothing (without an error)",
				"in ServiceJourney, make the system user (servicejourney.systemUser) an active Case Worker with access to the case types agents work on")
		default:
			l = line(id, Step4, check, Pass, "the system user is an active Case Worker", "")
		}
		return l
	})
	return l, known
}

// loginChecks logs the system user in afresh: no answer is Step 1 (the
// ServiceJourney address), a refusal Step 4 (the system user).
func (c *Checker) loginChecks(ctx context.Context, add func(...Line)) bool {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	ab := c.o.AppBase
	err := ab.Login(ctx)
	reach := line("sj.reachable", Step1, "ServiceJourney answers", Pass, ab.URL()+" answered", "")
	var e *appbase.Error
	switch {
	case err == nil:
		add(reach, line("sj.login", Step4, "system user login", Pass, "the system user logged in", ""))
		return true
	case appbase.IsTimeout(err) || (errors.As(err, &e) && e.Kind == appbase.KindTransport):
		add(line("sj.reachable", Step1, "ServiceJourney answers", Fail, "no answer from "+ab.URL()+": "+errMessage(err),
			"check servicejourney.url (SJ_SERVER_ADDRESS, step 1) and that this host reaches it over HTTPS"),
			skipped("sj.login", Step4, "system user login", "ServiceJourney did not answer"))
	case errors.As(err, &e) && (e.Kind == appbase.KindHTTP || e.Kind == appbase.KindDecode):
		add(line("sj.reachable", Step1, "ServiceJourney answers", Fail, ab.URL()+" is not an AppBase server: "+errMessage(err),
			"servicejourney.url must be the ServiceJourney server root (SJ_SERVER_ADDRESS, step 1), e.g. https://sj.example.com"),
			skipped("sj.login", Step4, "system user login", "ServiceJourney did not answer as AppBase"))
	default:
		add(reach, line("sj.login", Step4, "system user login", Fail, "ServiceJourney refused the system user: "+errMessage(err),
			"check servicejourney.systemUser and servicejourney.systemPassword (step 4: the dedicated system user, e.g. genesys_cloud_sysuser); the user must be active and hold the roles step 4 names"))
	}
	return false
}

func (c *Checker) runProbe(ctx context.Context, p probe) (*appbase.Result, error) {
	// RunOp renames the contract inputs to the profile's rule inputs.
	return c.o.AppBase.RunOp(ctx, p.op, p.params)
}

func probeLine(ab *appbase.Client, p probe, res *appbase.Result, err error) Line {
	rule := ab.RuleName(p.op)
	id := "sj.rule." + p.op
	mapFix := fmt.Sprintf("create rule %s in the ServiceJourney solution as the README's rule contract describes, or map %s to an existing rule with servicejourney.rules.%s", rule, p.op, p.op)
	switch {
	case err == nil:
		if p.write {
			// The rule exists, but it broke the contract: a write without its
			// key may have stored an empty record, and the next check would too.
			return line(id, Step8, rule, Warn, fmt.Sprintf("answers, but accepted a call without %s, which the contract requires; it may have written an empty record", p.key),
				fmt.Sprintf("make rule %s answer with an ERRORCODE when %s is empty (README, rule contract), and look for an empty record it may have written", rule, p.key))
		}
		return line(id, Step8, rule, Pass, fmt.Sprintf("answers (%d row(s) for the probe)", len(res.Items)), "")
	case appbase.IsRuleNotFound(err):
		ct, _ := ab.Contract(p.op)
		what := "create it"
		if ct.Standard {
			what = "this is a stock DCM rule: check the solution is a DCM solution, or use servicejourney.profile: connector"
		}
		return line(id, Step8, rule, Fail, fmt.Sprintf("rule %s not found in domain %s; %s with this contract: %s", rule, ab.Domain(), what, ct), mapFix)
	case appbase.IsRuleError(err) && p.write:
		return line(id, Step8, rule, Pass, "answers (rejected the probe without its key input, as it should: "+ruleMessage(err)+")", "")
	case appbase.IsRuleError(err):
		return line(id, Step8, rule, Fail, "the rule answered with an error: "+ruleMessage(err),
			fmt.Sprintf("fix rule %s in AppBase Studio; its inputs and ITEMS columns are in the README's rule contract", rule))
	case appbase.IsTimeout(err):
		return line(id, Step8, rule, Fail, "no answer in time: "+errMessage(err), "make the rule answer faster, or raise servicejourney.timeout")
	case appbase.IsAuthError(err):
		return line(id, Step8, rule, Fail, "ServiceJourney rejected the system user's token: "+errMessage(err),
			"give the system user the roles step 4 names (Solution Access for this solution)")
	}
	return line(id, Step8, rule, Fail, "the call failed: "+errMessage(err), "check the rule in AppBase Studio and ServiceJourney's logs; "+mapFix)
}

// userSchemaLine: GETUSERS must return the PURECLOUD_USERID column (the user
// schema field PureCloud_UserId, step 3), even where it is empty.
func userSchemaLine(ab *appbase.Client, res *appbase.Result, err error) Line {
	const id, check = "sj.userSchema", "PURECLOUD_USERID column"
	rule := ab.RuleName(appbase.OpGetUsers)
	switch {
	case err != nil:
		return skipped(id, Step3, check, rule+" failed")
	case len(res.Items) == 0:
		return line(id, Step3, check, Warn, rule+" returned no users, so the column could not be seen",
			"make sure the system user may see ServiceJourney users, then check again")
	}
	set, withColumn := 0, 0
	for _, row := range res.Items {
		if _, ok := row["PURECLOUD_USERID"]; ok {
			withColumn++
		}
		if row.String("PURECLOUD_USERID") != "" {
			set++
		}
	}
	if withColumn == 0 {
		// The Pure* fields are not used in normal operation: users map by e-mail.
		fix := "for explicit mappings, add the field PureCloud_UserId (Varchar) to the user schema (System Setup Home > User Management > User Schema) and return it as PURECLOUD_USERID from " + rule
		if ct, _ := ab.Contract(appbase.OpGetUsers); ct.Standard {
			// A stock solution keeps the mapping in the case worker's external id.
			fix = "for explicit mappings, " + rule + " must return the case workers' external id as EXTERNALID (or map another column: servicejourney.mappings GETUSERS.column.PURECLOUD_USERID)"
		}
		return line(id, Step3, check, Warn, rule+" rows have no PURECLOUD_USERID column, so users map by e-mail only", fix)
	}
	return line(id, Step3, check, Pass, fmt.Sprintf("present; %d of %d user(s) read have an explicit Genesys Cloud mapping (the others map by e-mail)", set, len(res.Items)), "")
}

// isDomainError recognises AppBase's top-level "domain not found" answer.
func isDomainError(err error) bool {
	var e *appbase.Error
	if !errors.As(err, &e) || e.Kind != appbase.KindTopLevel || appbase.IsRuleNotFound(err) {
		return false
	}
	m := strings.ToLower(e.Message)
	return strings.Contains(m, "domain") && (strings.Contains(m, "not found") || strings.Contains(m, "not exist"))
}

func ruleMessage(err error) string {
	var e *appbase.Error
	if errors.As(err, &e) && e.Message != "" {
		if e.Code != "" {
			return e.Code + " " + e.Message
		}
		return e.Message
	}
	return errMessage(err)
}

// errMessage relies on the clients' guarantee that error texts hold no
// token or password.
func errMessage(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
