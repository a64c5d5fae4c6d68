package setup

import (
	"context"
	"errors"
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
	skipRest := func(because Msg) {
		add(skipped("sj.domain", Step1, "domain answers", because),
			skipped("sj.userSchema", Step3, "PURECLOUD_USERID column", because))
		for _, p := range probes {
			add(skipped("sj.rule."+p.op, Step8, ab.RuleName(p.op), because))
		}
	}
	if !c.loginChecks(ctx, add) {
		skipRest(M("because.systemUserLogin"))
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
				return lineErr("sj.domain", Step1, "domain answers", Fail, M("domainUnknown", "domain", ab.Domain()), err, M("fixDomain"))
			}
			if err == nil || appbase.IsRuleError(err) || appbase.IsRuleNotFound(err) {
				domainOK = true
			}
			return probeLine(ab, p, res, err)
		})
		if l.ID == "sj.domain" {
			add(l, skipped("sj.userSchema", Step3, "PURECLOUD_USERID column", M("because.domainUnknown")))
			for _, q := range probes[i:] {
				add(skipped("sj.rule."+q.op, Step8, ab.RuleName(q.op), M("because.domainUnknown")))
			}
			return
		}
		add(l)
	}
	if domainOK {
		add(line("sj.domain", Step1, "domain answers", Pass, M("domainRuns", "domain", ab.Domain()), none))
	} else {
		add(line("sj.domain", Step1, "domain answers", Warn, M("domainUnconfirmed", "domain", ab.Domain()), M("fixDomainRules")))
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
			l = lineErr(id, Step4, check, Warn, M("caseWorkerAskFailed"), err, M("fixGetUsersAbove"))
		case !is:
			l = line(id, Step4, check, Fail, M("caseWorkerMissing"), M("fixCaseWorker"))
		default:
			l = line(id, Step4, check, Pass, M("caseWorkerOK"), none)
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
	reach := line("sj.reachable", Step1, "ServiceJourney answers", Pass, M("answered", "url", ab.URL()), none)
	var e *appbase.Error
	switch {
	case err == nil:
		add(reach, line("sj.login", Step4, "system user login", Pass, M("systemUserLoggedIn"), none))
		return true
	case appbase.IsTimeout(err) || (errors.As(err, &e) && e.Kind == appbase.KindTransport):
		add(lineErr("sj.reachable", Step1, "ServiceJourney answers", Fail, M("noAnswer", "url", ab.URL()), err, M("fixSJURL")),
			skipped("sj.login", Step4, "system user login", M("because.sjSilent")))
	case errors.As(err, &e) && (e.Kind == appbase.KindHTTP || e.Kind == appbase.KindDecode):
		add(lineErr("sj.reachable", Step1, "ServiceJourney answers", Fail, M("sjNotAppBase", "url", ab.URL()), err, M("fixSJRoot")),
			skipped("sj.login", Step4, "system user login", M("because.sjNotAppBase")))
	default:
		add(reach, lineErr("sj.login", Step4, "system user login", Fail, M("systemUserRefused"), err, M("fixSystemUser")))
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
	mapFix := M("fixMapRule", "rule", rule, "op", p.op)
	switch {
	case err == nil:
		if p.write {
			// The rule exists, but it broke the contract: a write without its
			// key may have stored an empty record, and the next check would too.
			return line(id, Step8, rule, Warn, M("ruleAcceptsNoKey", "key", p.key), M("fixRuleKey", "rule", rule, "key", p.key))
		}
		return line(id, Step8, rule, Pass, M("ruleAnswers", "n", len(res.Items)), none)
	case appbase.IsRuleNotFound(err):
		ct, _ := ab.Contract(p.op)
		what := "ruleNotFound"
		if ct.Standard {
			what = "ruleNotFoundStock"
		}
		// The contract is the administrator's build sheet: technical text.
		return lineErr(id, Step8, rule, Fail, M(what, "rule", rule, "domain", ab.Domain()), errors.New(ct.String()), mapFix)
	case appbase.IsRuleError(err) && p.write:
		return lineErr(id, Step8, rule, Pass, M("ruleRejectedProbe"), errors.New(ruleMessage(err)), none)
	case appbase.IsRuleError(err):
		return lineErr(id, Step8, rule, Fail, M("ruleError"), errors.New(ruleMessage(err)), M("fixRuleStudio", "rule", rule))
	case appbase.IsTimeout(err):
		return lineErr(id, Step8, rule, Fail, M("ruleTimeout"), err, M("fixRuleFaster"))
	case appbase.IsAuthError(err):
		return lineErr(id, Step8, rule, Fail, M("ruleAuth"), err, M("fixSystemUserRoles"))
	}
	return lineErr(id, Step8, rule, Fail, M("ruleCallFailed"), err, M("fixRuleLogs", "rule", rule, "op", p.op))
}

// userSchemaLine: GETUSERS must return the PURECLOUD_USERID column (the user
// schema field PureCloud_UserId, step 3), even where it is empty.
func userSchemaLine(ab *appbase.Client, res *appbase.Result, err error) Line {
	const id, check = "sj.userSchema", "PURECLOUD_USERID column"
	rule := ab.RuleName(appbase.OpGetUsers)
	switch {
	case err != nil:
		return skipped(id, Step3, check, M("because.ruleFailed", "rule", rule))
	case len(res.Items) == 0:
		return line(id, Step3, check, Warn, M("usersNone", "rule", rule), M("fixSeeUsers"))
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
		fix := M("fixAddUserField", "rule", rule)
		if ct, _ := ab.Contract(appbase.OpGetUsers); ct.Standard {
			// A stock solution keeps the mapping in the case worker's external id.
			fix = M("fixExternalID", "rule", rule)
		}
		return line(id, Step3, check, Warn, M("userColumnMissing", "rule", rule), fix)
	}
	return line(id, Step3, check, Pass, M("userColumnPresent", "set", set, "n", len(res.Items)), none)
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
