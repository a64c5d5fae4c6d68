package setup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"dcmconnect/genesys"
)

// Kinds of the data-action install (issue "ServiceJourney in Architect"):
// the custom-rest-actions integration, and in results the credential and
// each action it holds.
const (
	KindDataActions = "dataActions"
	KindCredential  = "credential"
	KindDataAction  = "dataAction"
)

// ActionsInstall is what the installer needs to install the data actions:
// the Basic credential Genesys stores and sends on each call (config
// actions.userName / actions.password) and our answer budget
// (actions.budget), from which the actions' own timeout is set.
type ActionsInstall struct {
	UserName, Password string
	Budget             time.Duration
}

// timeoutSeconds is the actions' timeout in Genesys: 5 s above our budget
// (so our 504 arrives first, as a clear answer), at least 10, at most 60.
func (a *ActionsInstall) timeoutSeconds() int {
	s := int(math.Ceil(a.Budget.Seconds())) + 5
	return min(max(s, 10), 60)
}

// fingerprint identifies the credential the integration holds, because
// Genesys never shows a credential's fields: the install stores it in the
// integration's notes and sends the credential again only when it changed.
// Salted with the integration id; it is not the password.
func (a *ActionsInstall) fingerprint(integrationID string) string {
	sum := sha256.Sum256([]byte("dcmconnect-data-actions\x00" + integrationID + "\x00" + a.UserName + "\x00" + a.Password))
	return hex.EncodeToString(sum[:12])
}

type actionsNotes struct {
	Credential string `json:"credential"`
}

func parseActionsNotes(notes string) actionsNotes {
	var wrap map[string]actionsNotes
	_ = json.Unmarshal([]byte(notes), &wrap)
	return wrap["dcmconnect"]
}

// Specs are the data actions this installer publishes.
func (in *Installer) specs() []ActionSpec {
	specs := ActionSpecs(in.o.PublicURL)
	for i := range specs {
		specs[i].Config.TimeoutSeconds = in.o.Actions.timeoutSeconds()
	}
	return specs
}

// findActionsIntegrations returns the custom-rest-actions integrations
// carrying our name.
func (in *Installer) findActionsIntegrations(ctx context.Context, gc *genesys.Client) ([]genesys.Integration, error) {
	all, err := gc.Integrations.ListAll(ctx, &genesys.IntegrationListOptions{IntegrationType: genesys.ActionsIntegrationType})
	if err != nil {
		return nil, err
	}
	var out []genesys.Integration
	for _, it := range all {
		if it.Name == in.Name(KindDataActions) && (it.IntegrationType == nil || it.IntegrationType.ID == genesys.ActionsIntegrationType) {
			out = append(out, it)
		}
	}
	return out, nil
}

// actionsOf returns the actions (published, and drafts never published) of
// an integration, by name.
func actionsOf(ctx context.Context, gc *genesys.Client, integrationID string) (published, drafts map[string]genesys.Action, err error) {
	published, drafts = map[string]genesys.Action{}, map[string]genesys.Action{}
	for _, draft := range []bool{false, true} {
		list, err := gc.Integrations.ListAllActions(ctx, draft)
		if err != nil {
			return nil, nil, err
		}
		for _, a := range list {
			if a.IntegrationID != integrationID {
				continue
			}
			if draft {
				drafts[a.Name] = a
			} else {
				published[a.Name] = a
			}
		}
	}
	return published, drafts, nil
}

// actionsProblem says what is wrong with an installed integration (the
// zero Msg when nothing): disabled, no credential, an action missing or not
// as we publish it.
func (in *Installer) actionsProblem(ctx context.Context, gc *genesys.Client, it *genesys.Integration) (Msg, error) {
	if it.IntendedState != "" && it.IntendedState != "ENABLED" {
		return M("problem.disabled"), nil
	}
	cfg, err := gc.Integrations.GetConfig(ctx, it.ID)
	if err != nil {
		return none, err
	}
	if cfg.Credentials["basicAuth"].ID == "" {
		return M("problem.noCredential"), nil
	}
	if parseActionsNotes(cfg.Notes).Credential != in.o.Actions.fingerprint(it.ID) {
		return M("problem.otherCredential"), nil
	}
	published, _, err := actionsOf(ctx, gc, it.ID)
	if err != nil {
		return none, err
	}
	for _, sp := range in.specs() {
		a, ok := published[sp.Name]
		if !ok {
			return M("problem.actionMissing", "name", sp.Name), nil
		}
		same, err := sameAction(ctx, gc, &a, &sp)
		if err != nil {
			return none, err
		}
		if !same {
			return M("problem.actionDiffers", "name", sp.Name), nil
		}
	}
	return none, nil
}

// sameAction compares a published action with a spec, reading it in full
// when the listing left its config or contract out.
func sameAction(ctx context.Context, gc *genesys.Client, a *genesys.Action, sp *ActionSpec) (bool, error) {
	if a.Config == nil || a.Contract == nil {
		full, err := gc.Integrations.GetAction(ctx, a.ID, false)
		if err != nil {
			return false, err
		}
		a = full
	}
	return canonicalJSON(a.Config) == canonicalJSON(&sp.Config) && canonicalJSON(a.Contract) == canonicalJSON(&sp.Contract), nil
}

// canonicalJSON encodes v with object keys sorted (through a generic
// decode), so a schema Genesys re-encoded compares equal to ours.
func canonicalJSON(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var generic any
	if json.Unmarshal(raw, &generic) != nil {
		return ""
	}
	out, _ := json.Marshal(generic)
	return string(out)
}

// ensureActions installs the data actions: the integration (created when
// missing), its Basic credential (sent again only when the configured one
// changed), its config naming the credential, enabled, then each action
// created as a draft and published, or, when it differs, given a new draft
// of the same id and published again. A re-run changes nothing.
func (in *Installer) ensureActions(ctx context.Context, gc *genesys.Client) ([]Object, error) {
	name := in.Name(KindDataActions)
	o := Object{Kind: KindDataActions, Name: name, Action: "unchanged"}
	found, err := in.findActionsIntegrations(ctx, gc)
	if err != nil {
		return nil, err
	}
	state := ""
	if len(found) > 0 {
		o.ID, state = found[0].ID, found[0].IntendedState
	} else {
		created, err := gc.Integrations.Create(ctx, name, genesys.ActionsIntegrationType)
		if err != nil {
			return nil, err
		}
		o.ID, o.Action, state = created.ID, "created", created.IntendedState
	}
	objs := []Object{o}
	changed := func() {
		if objs[0].Action == "unchanged" {
			objs[0].Action = "updated"
		}
	}
	cred, err := in.ensureCredential(ctx, gc, o.ID)
	if cred != nil {
		objs = append(objs, *cred)
		if cred.Action != "unchanged" {
			changed()
		}
	}
	if err != nil {
		return objs, err
	}
	if state != "ENABLED" {
		if _, err := gc.Integrations.Patch(ctx, o.ID, &genesys.Integration{IntendedState: "ENABLED"}); err != nil {
			return objs, fmt.Errorf("enabling the data-actions integration: %w", err)
		}
		changed()
	}
	published, drafts, err := actionsOf(ctx, gc, o.ID)
	if err != nil {
		return objs, err
	}
	for _, sp := range in.specs() {
		ao, err := in.ensureAction(ctx, gc, o.ID, &sp, published, drafts)
		if ao != nil {
			objs = append(objs, *ao)
			if ao.Action != "unchanged" {
				changed()
			}
		}
		if err != nil {
			return objs, fmt.Errorf("action %q: %w", sp.Name, err)
		}
	}
	return objs, nil
}

// ensureCredential stores the Basic credential and names it in the
// integration's config (Credentialinfo id under "basicAuth", the
// fingerprint in the notes).
func (in *Installer) ensureCredential(ctx context.Context, gc *genesys.Client, integrationID string) (*Object, error) {
	name := in.Name(KindDataActions)
	cfg, err := gc.Integrations.GetConfig(ctx, integrationID)
	if err != nil {
		return nil, err
	}
	want := in.o.Actions.fingerprint(integrationID)
	body := &genesys.Credential{Name: name, Type: genesys.NamedEntity{Name: "basicAuth"},
		CredentialFields: map[string]string{"userName": in.o.Actions.UserName, "password": in.o.Actions.Password}}
	o := &Object{Kind: KindCredential, Name: name, ID: cfg.Credentials["basicAuth"].ID, Action: "unchanged"}
	exists := false
	if o.ID != "" {
		all, err := gc.Integrations.ListAllCredentials(ctx)
		if err != nil {
			return nil, err
		}
		exists = slices.ContainsFunc(all, func(c genesys.CredentialSummary) bool { return c.ID == o.ID })
	}
	switch {
	case !exists:
		c, err := gc.Integrations.CreateCredential(ctx, body)
		if err != nil {
			return nil, fmt.Errorf("storing the data-actions credential: %w", err)
		}
		o.ID, o.Action = c.ID, "created"
	case parseActionsNotes(cfg.Notes).Credential != want:
		if _, err := gc.Integrations.UpdateCredential(ctx, o.ID, body); err != nil {
			return o, fmt.Errorf("updating the data-actions credential: %w", err)
		}
		o.Action = "updated"
	}
	notes, _ := json.Marshal(map[string]actionsNotes{"dcmconnect": {Credential: want}})
	if cfg.Name != name || cfg.Credentials["basicAuth"].ID != o.ID || cfg.Notes != string(notes) {
		next := &genesys.IntegrationConfiguration{Name: name, Version: cfg.Version, Properties: cfg.Properties, Advanced: cfg.Advanced,
			Credentials: map[string]genesys.CredentialInfo{"basicAuth": {ID: o.ID}}, Notes: string(notes)}
		if _, err := gc.Integrations.PutConfig(ctx, integrationID, next); err != nil {
			return o, fmt.Errorf("configuring the data-actions integration: %w", err)
		}
		if o.Action == "unchanged" {
			o.Action = "updated"
		}
	}
	return o, nil
}

// ensureAction brings one action to sp: draft -> publish.
func (in *Installer) ensureAction(ctx context.Context, gc *genesys.Client, integrationID string, sp *ActionSpec,
	published, drafts map[string]genesys.Action) (*Object, error) {
	o := &Object{Kind: KindDataAction, Name: sp.Name, Action: "unchanged"}
	var draft *genesys.Action
	if p, ok := published[sp.Name]; ok {
		o.ID = p.ID
		same, err := sameAction(ctx, gc, &p, sp)
		if err != nil || same {
			return o, err
		}
		o.Action = "updated"
		if d, ok := drafts[sp.Name]; ok {
			draft = &d
		} else if draft, err = gc.Integrations.CreateDraftFromAction(ctx, p.ID); err != nil {
			return o, err
		}
	} else if d, ok := drafts[sp.Name]; ok {
		o.ID, o.Action, draft = d.ID, "created", &d
	} else {
		d, err := gc.Integrations.CreateActionDraft(ctx, &genesys.Action{Name: sp.Name, IntegrationID: integrationID,
			Category: in.Name(KindDataActions), Config: &sp.Config, Contract: &sp.Contract})
		if err != nil {
			return o, err
		}
		o.ID, o.Action = d.ID, "created"
		p, err := gc.Integrations.PublishActionDraft(ctx, d.ID, d.Version)
		if err == nil {
			o.ID = p.ID
		}
		return o, err
	}
	d, err := gc.Integrations.UpdateActionDraft(ctx, draft.ID, &genesys.Action{Name: sp.Name, Category: in.Name(KindDataActions),
		Config: &sp.Config, Contract: &sp.Contract, Version: draft.Version})
	if err != nil {
		return o, err
	}
	_, err = gc.Integrations.PublishActionDraft(ctx, d.ID, d.Version)
	return o, err
}

// removeActions deletes the integration (Genesys removes its actions with
// it), then its credential.
func (in *Installer) removeActions(ctx context.Context, gc *genesys.Client, id string) error {
	cfg, err := gc.Integrations.GetConfig(ctx, id)
	if err != nil && !isNotFound(err) {
		return err
	}
	if err := gc.Integrations.Delete(ctx, id); err != nil {
		return err
	}
	if cfg != nil {
		if cid := cfg.Credentials["basicAuth"].ID; cid != "" {
			if err := gc.Integrations.DeleteCredential(ctx, cid); err != nil && !isNotFound(err) {
				return fmt.Errorf("removing the data-actions credential: %w", err)
			}
		}
	}
	return nil
}

// testActions is the check's line for the data actions: each published
// action runs through Genesys's test endpoint, which calls our endpoint with
// the stored credential, as a flow would.
func (in *Installer) testActions(ctx context.Context, gc *genesys.Client, st *State) Line {
	const id, check = "genesys.dataActions", "data actions answer"
	o := st.Object(KindDataActions)
	if o == nil {
		return skipped(id, Step5, check, M("because.actionsNotInstalled"))
	}
	published, _, err := actionsOf(ctx, gc, o.ID)
	if err != nil {
		return lineErr(id, Step5, check, Warn, M("actionsListFailed"), err, forbiddenFix(err, M("fixActionView")))
	}
	var passed []string
	var failed []Msg
	var upstream []string // Genesys's own words for a failed test
	for _, sp := range in.specs() {
		a, ok := published[sp.Name]
		if !ok {
			failed = append(failed, M("action.notPublished", "name", sp.Name))
			continue
		}
		res, err := gc.Integrations.TestAction(ctx, a.ID, sp.TestInput)
		switch {
		case err != nil:
			return lineErr(id, Step5, check, Warn, M("actionTestFailed"), err, forbiddenFix(err, M("fixActionExecute")))
		case !res.Success && res.Error != nil:
			failed = append(failed, M("action.failedHTTP", "name", sp.Name, "status", res.Error.Status))
			if res.Error.Message != "" {
				upstream = append(upstream, sp.Name+": "+res.Error.Message)
			}
		case !res.Success:
			failed = append(failed, M("action.failed", "name", sp.Name))
		default:
			passed = append(passed, sp.Name)
		}
	}
	if len(failed) > 0 {
		var tech error
		if len(upstream) > 0 {
			tech = errors.New(strings.Join(upstream, "; "))
		}
		return lineErr(id, Step5, check, Fail, M("actionsFailed", "failures", failed), tech, M("fixActionsReach", "url", in.o.PublicURL+ActionsPath))
	}
	return line(id, Step5, check, Pass, M("actionsAnswered", "names", strings.Join(passed, ", ")), none)
}
