package appbase

import (
	"fmt"
	"sort"
	"strings"
)

// Profiles say which rules the contract's operations run (Options.Profile,
// config servicejourney.profile). See docs/upstreams.md for where the
// standard rules come from.
const (
	// ProfileStandard runs the rules every stock DCM solution already has
	// (party search, case search, case-worker search) and custom rules only
	// for what has no standard rule: the interaction upsert, the sync state
	// and the user-mapping write-back.
	ProfileStandard = "standard"
	// ProfileConnector runs one custom rule per operation,
	// <IntegrationCode>_<OP>, as installs of the old connector built them.
	ProfileConnector = "connector"
)

// Standard DCM rule codes the standard profile maps onto.
const (
	StandardPartySearch      = "root_PPL_getExternalParties"
	StandardCaseSearch       = "root_DCM_SearchCases"
	StandardCaseWorkerSearch = "root_PPL_searchCaseWorkers"
	// StandardCaseWorkerWrite creates or modifies a case worker; its
	// ExternalId input sets the external id the search returns as EXTERNALID.
	StandardCaseWorkerWrite = "root_PPL_CreateModifyCW"
)

// MaxRuleCodeLength is the longest rule code AppBase is known to accept:
// codes in exported solutions stop at 30 characters.
const MaxRuleCodeLength = 30

// Field maps one contract name (what dcmconnect calls an input or column)
// to the rule's own name for it.
type Field struct {
	// Name is the contract name, e.g. PHONE.
	Name string
	// As is the rule's input or column name, e.g. Phone.
	As string
	// Note says what travels in it, for the README and `check`.
	Note string
}

// Contract is how one operation maps onto one rule: what the rule is
// called, which inputs it takes and under which names, which columns it
// returns, the constant inputs it always gets and the cursor the rows come
// in. `check` prints it for every rule a solution lacks.
type Contract struct {
	Op   string
	Rule string
	// Standard is true for a rule a stock DCM solution already has.
	Standard bool
	Inputs   []Field
	Columns  []Field
	// Constants are inputs sent with every call (sorted by name when shown).
	Constants map[string]string
	// Cursor is the output holding the rows; "ITEMS" unless the rule says otherwise.
	Cursor string
	// Key and Idempotency describe a write for whoever builds the rule.
	Key, Idempotency string
}

// Mapping overrides parts of an operation's contract (config
// servicejourney.mappings.<OP>): empty fields keep the profile's value;
// Inputs and Columns are keyed by contract name.
type Mapping struct {
	Rule      string
	Inputs    map[string]string
	Columns   map[string]string
	Constants map[string]string
	Cursor    string
}

func f(name, as, note string) Field { return Field{Name: name, As: as, Note: note} }

func same(note string, names ...string) []Field {
	out := make([]Field, len(names))
	for i, n := range names {
		out[i] = Field{Name: n, As: n, Note: note}
	}
	return out
}

var interactionInputs = []Field{
	f("CONVERSATIONID", "CONVERSATIONID", "Genesys conversation id (key)"),
	f("DIRECTION", "DIRECTION", "inbound | outbound"),
	f("MEDIATYPE", "MEDIATYPE", "voice, chat, email, message, ..."),
	f("ANI", "ANI", "caller number, E.164"),
	f("DNIS", "DNIS", "called number"),
	f("QUEUEID", "QUEUEID", ""), f("QUEUENAME", "QUEUENAME", ""),
	f("AGENTUSERID", "AGENTUSERID", "ServiceJourney user id of the agent"),
	f("STARTTIME", "STARTTIME", "date (servicejourney.dateFormat)"),
	f("ENDTIME", "ENDTIME", "date (servicejourney.dateFormat)"),
	f("DURATIONSECONDS", "DURATIONSECONDS", "whole seconds"),
	f("WRAPUPCODE", "WRAPUPCODE", ""), f("WRAPUPNAME", "WRAPUPNAME", ""), f("WRAPUPNOTES", "WRAPUPNOTES", ""),
	f("PARTYID", "PARTYID", "party record id, if known"), f("CASEID", "CASEID", "case record id, if known"),
	f("CLEARPARTYID", "CLEARPARTYID", "1: empty PARTYID (not this customer)"), f("CLEARCASEID", "CLEARCASEID", "1: empty CASEID (not this customer)"),
}

// customContracts are the operations no stock solution has a rule for; both
// profiles use them. rule is filled in per client.
func customContracts() map[string]Contract {
	return map[string]Contract{
		OpSetUserMapping: {Op: OpSetUserMapping,
			Inputs:  []Field{f("USERID", "USERID", "ServiceJourney user id (key)"), f("PURECLOUD_USERID", "PURECLOUD_USERID", "Genesys Cloud user id; empty clears it")},
			Columns: same("", "ID"), Key: "USERID",
			Idempotency: "sets the user's PureCloud_UserId field; repeating the call changes nothing; an empty USERID must give an ERRORCODE"},
		OpUpsertInteraction: {Op: OpUpsertInteraction, Inputs: interactionInputs,
			Columns: []Field{f("ID", "ID", "the interaction record id"), f("CREATED", "CREATED", "1 when this call created the record, 0 when it updated it")},
			Key:     "CONVERSATIONID",
			Idempotency: "one record per CONVERSATIONID: create it the first time, later calls overwrite only the inputs they carry (empty inputs are not sent); " +
				"CLEARPARTYID=1 / CLEARCASEID=1 empty PARTYID / CASEID (never sent with a value for the same field); " +
				"an empty CONVERSATIONID must give an ERRORCODE"},
		OpGetSyncState: {Op: OpGetSyncState, Inputs: same("", "NAME"), Columns: []Field{f("NAME", "NAME", ""), f("VALUE", "VALUE", "text, up to a few KB")}, Key: "NAME",
			Idempotency: "read only; no row when the name was never stored"},
		OpSetSyncState: {Op: OpSetSyncState, Inputs: []Field{f("NAME", "NAME", "key"), f("VALUE", "VALUE", "text, up to a few KB")}, Columns: same("", "NAME"), Key: "NAME",
			Idempotency: "stores VALUE under NAME, replacing the old value; an empty NAME must give an ERRORCODE"},
	}
}

func connectorContracts() map[string]Contract {
	m := customContracts()
	m[OpGetUsers] = Contract{Op: OpGetUsers, Inputs: []Field{f("FIRST", "FIRST", "paging offset"), f("LIMIT", "LIMIT", "page size")},
		Columns: append(same("", "ID", "CODE", "LOGIN", "NAME", "EMAIL", "STATUS"), f("PURECLOUD_USERID", "PURECLOUD_USERID", "explicit Genesys Cloud user id (optional)")),
		Key:     "ID", Idempotency: "read only; total in TOTALCOUNT"}
	m[OpFindParties] = Contract{Op: OpFindParties, Inputs: []Field{f("PHONE", "PHONE", "E.164"), f("EMAIL", "EMAIL", ""), f("PARTYID", "PARTYID", ""),
		f("NAME", "NAME", "any part of the name, any case (the agent's search)")},
		Columns: same("", "ID", "NAME", "PHONE", "EMAIL"), Key: "ID", Idempotency: "read only; every given input must match"}
	m[OpFindCases] = Contract{Op: OpFindCases, Inputs: same("", "PARTYID", "CASEID"),
		Columns: same("", "ID", "CASEID", "SUMMARY", "STATE"), Key: "ID", Idempotency: "read only; every given input must match"}
	return m
}

// standardContracts map the read operations onto the stock DCM rules, with
// their real input names and columns.
func standardContracts() map[string]Contract {
	m := customContracts()
	m[OpGetUsers] = Contract{Op: OpGetUsers, Rule: StandardCaseWorkerSearch, Standard: true,
		Inputs: []Field{f("FIRST", "FIRST", "paging offset"), f("LIMIT", "LIMIT", "page size"), f("CURRENTUSER", "CurrentUser", "1: only the caller's own case worker")},
		Columns: []Field{f("ID", "USERID", "ServiceJourney user id"), f("CODE", "CODE", ""), f("LOGIN", "USERLOGIN", ""), f("NAME", "NAME", ""),
			f("EMAIL", "EMAIL", ""), f("STATUS", "STATUS", ""),
			f("PURECLOUD_USERID", "EXTERNALID", "the case worker's external id: the explicit Genesys Cloud user id, empty for users mapped by e-mail")},
		Constants: map[string]string{"IsDeleted": "0"}, Key: "USERID", Idempotency: "read only; lists the case workers that are not deleted"}
	// No stock rule reads or writes the user-schema field PureCloud_UserId,
	// so a stock solution keeps the explicit mapping where it keeps a user's
	// id in another system: the case worker's external id (ExtSysId), which
	// the case-worker search returns and this rule sets.
	m[OpSetUserMapping] = Contract{Op: OpSetUserMapping, Rule: StandardCaseWorkerWrite, Standard: true,
		Inputs: []Field{f("USERID", "UserId", "ServiceJourney user id (key)"), f("PURECLOUD_USERID", "ExternalId", "Genesys Cloud user id; empty clears it")},
		Key:    "USERID",
		Idempotency: "sets the case worker's external id; repeating the call changes nothing; ERRORCODE 120 for an empty UserId, " +
			"128 when another case worker already has that external id; answers in output parameters (RECORDID), no rows"}
	m[OpFindParties] = Contract{Op: OpFindParties, Rule: StandardPartySearch, Standard: true,
		Inputs: []Field{f("PHONE", "Phone", "digits; the rule strips non-digits and matches a substring"), f("EMAIL", "Email", ""), f("PARTYID", "ID", ""),
			f("NAME", "NAME", "any part of the name, any case (the rule wraps it in wildcards)")},
		Columns: same("", "ID", "NAME", "PHONE", "EMAIL"), Key: "ID",
		Idempotency: "read only; returns nothing unless the caller is an active Case Worker"}
	m[OpFindCases] = Contract{Op: OpFindCases, Rule: StandardCaseSearch, Standard: true,
		Inputs:    []Field{f("PARTYID", "ExternalPartyIds", ""), f("CASEID", "CaseId", "case number")},
		Columns:   []Field{f("ID", "ID", ""), f("CASEID", "CASEID", "case number"), f("SUMMARY", "SUMMARY", ""), f("STATE", "CASESTATE_NAME", "")},
		Constants: map[string]string{"FIRST": "0", "LIMIT": "100"}, Key: "ID",
		Idempotency: "read only; only case types the caller may view"}
	return m
}

// buildContracts resolves every operation's contract for the options.
func buildContracts(o Options) (map[string]Contract, []string) {
	var base map[string]Contract
	if o.Profile == ProfileConnector {
		base = connectorContracts()
	} else {
		base = standardContracts()
	}
	var errs []string
	out := make(map[string]Contract, len(base))
	custom := connectorContracts()
	for _, op := range Operations() {
		c := base[op]
		rule := strings.TrimSpace(o.Rules[op])
		if m, ok := o.Mappings[op]; ok && strings.TrimSpace(m.Rule) != "" {
			rule = strings.TrimSpace(m.Rule)
		}
		if rule != "" {
			// A rule named in config is a custom one: it speaks the
			// connector's contract, unless the mapping says otherwise.
			c = custom[op]
			c.Rule = rule
		}
		if c.Rule == "" {
			c.Rule = o.IntegrationCode + "_" + op
		}
		if m, ok := o.Mappings[op]; ok {
			c.Inputs = remap(c.Inputs, m.Inputs, op, "inputs", &errs)
			c.Columns = remap(c.Columns, m.Columns, op, "columns", &errs)
			if len(m.Constants) > 0 {
				k := make(map[string]string, len(c.Constants)+len(m.Constants))
				for n, v := range c.Constants {
					k[n] = v
				}
				for n, v := range m.Constants {
					k[n] = v
				}
				c.Constants = k
			}
			if s := strings.TrimSpace(m.Cursor); s != "" {
				c.Cursor = s
			}
		}
		if c.Cursor == "" {
			c.Cursor = "ITEMS"
		}
		out[op] = c
	}
	for op := range o.Mappings {
		if _, ok := base[op]; !ok {
			errs = append(errs, fmt.Sprintf("Options.Mappings (servicejourney.mappings) has unknown operation %q; use one of %s", op, strings.Join(Operations(), ", ")))
		}
	}
	sort.Strings(errs)
	return out, errs
}

func remap(fields []Field, over map[string]string, op, what string, errs *[]string) []Field {
	if len(over) == 0 {
		return fields
	}
	out := append([]Field(nil), fields...)
	for name, as := range over {
		i := fieldIndex(out, name)
		switch {
		case i < 0:
			names := make([]string, len(out))
			for j, fl := range out {
				names[j] = fl.Name
			}
			*errs = append(*errs, fmt.Sprintf("Options.Mappings (servicejourney.mappings.%s.%s) has unknown name %q; use one of %s", op, what, name, strings.Join(names, ", ")))
		case strings.TrimSpace(as) == "":
			*errs = append(*errs, fmt.Sprintf("Options.Mappings (servicejourney.mappings.%s.%s.%s) is empty; give the rule's name for it or remove the entry", op, what, name))
		default:
			out[i].As = strings.TrimSpace(as)
		}
	}
	return out
}

func fieldIndex(fields []Field, name string) int {
	for i, fl := range fields {
		if strings.EqualFold(fl.Name, name) {
			return i
		}
	}
	return -1
}

// Contract is the resolved contract of op (any case); ok is false for an unknown op.
func (c *Client) Contract(op string) (Contract, bool) {
	op = strings.ToUpper(strings.TrimSpace(op))
	ct, ok := c.contracts[op]
	if !ok {
		return Contract{}, false
	}
	if r, ok := c.legacy.Load(op); ok {
		ct.Rule = r.(string)
	}
	return ct, true
}

// Profile is the profile in use (standard or connector).
func (c *Client) Profile() string { return c.opts.Profile }

// ruleInputs turns contract-named params into the rule's inputs, plus the
// constants. Names the contract does not know pass unchanged.
func (ct Contract) ruleInputs(params map[string]string) map[string]string {
	out := make(map[string]string, len(params)+len(ct.Constants))
	for k, v := range ct.Constants {
		out[k] = v
	}
	for k, v := range params {
		if i := fieldIndex(ct.Inputs, k); i >= 0 {
			k = ct.Inputs[i].As
		}
		out[k] = v
	}
	return out
}

// contractRows reads the cursor's rows and renames the mapped columns to
// their contract names; a mapped column the rule did not return is absent.
func (ct Contract) contractRows(res *Result) ([]Row, error) {
	rows := res.Items
	if !strings.EqualFold(ct.Cursor, "ITEMS") {
		v, ok := res.Outputs[strings.ToUpper(ct.Cursor)]
		if !ok && len(res.Items) == 0 {
			return nil, nil
		}
		var err error
		if ok {
			if rows, err = toRows(v); err != nil {
				return nil, fmt.Errorf("cursor %s: %w", ct.Cursor, err)
			}
		}
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		m := make(Row, len(r)+len(ct.Columns))
		for k, v := range r {
			m[k] = v
		}
		for _, col := range ct.Columns {
			if v, ok := r.get(col.As); ok {
				m[col.Name] = v
			} else {
				delete(m, col.Name)
			}
		}
		out[i] = m
	}
	return out, nil
}

// ParseMappings reads the flat form config uses (servicejourney.mappings):
// keys <OP>.rule, <OP>.cursor, <OP>.input.<NAME>, <OP>.column.<NAME> and
// <OP>.constant.<INPUT>, any case for OP and the kind.
func ParseMappings(flat map[string]string) (map[string]Mapping, error) {
	out := map[string]Mapping{}
	var errs []string
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.TrimSpace(flat[k])
		parts := strings.SplitN(k, ".", 3)
		op := strings.ToUpper(strings.TrimSpace(parts[0]))
		m := out[op]
		kind := ""
		if len(parts) > 1 {
			kind = strings.ToLower(parts[1])
		}
		set := func(dst *map[string]string) {
			if *dst == nil {
				*dst = map[string]string{}
			}
			(*dst)[parts[2]] = v
		}
		switch {
		case len(parts) == 2 && kind == "rule":
			m.Rule = v
		case len(parts) == 2 && kind == "cursor":
			m.Cursor = v
		case len(parts) == 3 && kind == "input":
			set(&m.Inputs)
		case len(parts) == 3 && kind == "column":
			set(&m.Columns)
		case len(parts) == 3 && kind == "constant":
			set(&m.Constants)
		default:
			errs = append(errs, fmt.Sprintf("servicejourney.mappings key %q is not <OP>.rule, <OP>.cursor, <OP>.input.<NAME>, <OP>.column.<NAME> or <OP>.constant.<INPUT>; e.g. FINDPARTIES.input.PHONE: Phone", k))
			continue
		}
		out[op] = m
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("appbase: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// String is the contract as a ServiceJourney administrator needs it to build
// the rule: code, inputs, constants, columns, cursor, key and idempotency.
func (ct Contract) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rule %s", ct.Rule)
	list := func(title string, fs []Field) {
		parts := make([]string, len(fs))
		for i, fl := range fs {
			parts[i] = fl.As
			if fl.Note != "" {
				parts[i] += " (" + fl.Note + ")"
			}
		}
		fmt.Fprintf(&b, "; %s: %s", title, strings.Join(parts, ", "))
	}
	list("inputs", ct.Inputs)
	if len(ct.Constants) > 0 {
		names := make([]string, 0, len(ct.Constants))
		for k := range ct.Constants {
			names = append(names, k)
		}
		sort.Strings(names)
		for i, k := range names {
			names[i] = k + "=" + ct.Constants[k]
		}
		fmt.Fprintf(&b, "; constant inputs: %s", strings.Join(names, ", "))
	}
	if len(ct.Columns) > 0 {
		list(ct.Cursor+" columns", ct.Columns)
	}
	if ct.Key != "" {
		fmt.Fprintf(&b, "; key: %s", ct.Key)
	}
	if ct.Idempotency != "" {
		fmt.Fprintf(&b, "; %s", ct.Idempotency)
	}
	return b.String()
}

// ContractTable is the contract of every operation under profile as a
// Markdown table, as the README carries it (a test keeps the two equal).
// The rule codes are the defaults (prefix DefaultIntegrationCode).
func ContractTable(profile string) (string, error) {
	c, err := New(Options{URL: "https://sj.example.com", Domain: "D", User: "u", Password: "p", Profile: profile})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| operation | rule | inputs (rule name) | constant inputs | columns (rule name) | key, idempotency |\n|---|---|---|---|---|---|\n")
	names := func(fs []Field) string {
		parts := make([]string, len(fs))
		for i, fl := range fs {
			parts[i] = "`" + fl.Name + "`"
			if fl.As != fl.Name {
				parts[i] += " (`" + fl.As + "`)"
			}
		}
		return strings.Join(parts, ", ")
	}
	for _, op := range Operations() {
		ct, _ := c.Contract(op)
		kind := "custom"
		if ct.Standard {
			kind = "stock"
		}
		consts := make([]string, 0, len(ct.Constants))
		for k, v := range ct.Constants {
			consts = append(consts, "`"+k+"="+v+"`")
		}
		sort.Strings(consts)
		cols := orDefault(names(ct.Columns), "—")
		if len(ct.Columns) > 0 && !strings.EqualFold(ct.Cursor, "ITEMS") {
			cols = ct.Cursor + ": " + cols
		}
		fmt.Fprintf(&b, "| `%s` | `%s` (%s) | %s | %s | %s | %s: %s |\n", op, ct.Rule, kind, names(ct.Inputs), orDefault(strings.Join(consts, ", "), "—"), cols, ct.Key, ct.Idempotency)
	}
	return b.String(), nil
}
