package setup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dcmconnect/genesys"
)

// Kinds of Genesys object the installer makes, in install order.
const (
	KindGroup      = "group"
	KindRole       = "role"
	KindServerRole = "serverRole"
	KindWidget     = "interactionWidget"
	KindSupervisor = "supervisorApp"
)

// Kinds lists every kind in install order.
var Kinds = []string{KindGroup, KindRole, KindServerRole, KindWidget, KindSupervisor}

// Parts are the install steps, in order; "actions" installs the data
// actions (only when InstallerOptions.Actions is set); "record" writes the
// integration notes of the Premium App. Each part is idempotent, so the
// wizard can run them one by one to show progress, and a re-run finds and
// updates.
var Parts = []string{"group", "role", "serverRole", "widget", "supervisor", "actions", "record"}

// Kinds lists the kinds this installer makes: Kinds, plus the data-actions
// integration when it installs the data actions.
func (in *Installer) Kinds() []string {
	if in.o.Actions == nil {
		return Kinds
	}
	return append(slices.Clone(Kinds), KindDataActions)
}

// Parts lists the parts this installer runs by default, in order.
func (in *Installer) Parts() []string {
	if in.o.Actions != nil {
		return Parts
	}
	return slices.DeleteFunc(slices.Clone(Parts), func(p string) bool { return p == "actions" })
}

// KindTitle is a kind in words.
func KindTitle(kind string) string {
	switch kind {
	case KindGroup:
		return "agents group"
	case KindRole:
		return "agent role"
	case KindServerRole:
		return "server role"
	case KindWidget:
		return "interaction widget"
	case KindSupervisor:
		return "supervisor app"
	case KindDataActions:
		return "data actions"
	case KindCredential:
		return "data-actions credential"
	case KindDataAction:
		return "data action"
	}
	return kind
}

// Client-app integration types (docs/upstreams.md).
const (
	typeWidget     = "embedded-client-app-interaction-widget"
	typeStandalone = "embedded-client-app"
)

// DefaultPrefix starts the name of everything the installer makes.
const DefaultPrefix = "ServiceJourney Connector - "

// sandbox is what the pages need inside the Genesys iframe: scripts, their
// own origin (fetch, sessionStorage), popups and forms for the sign-in and
// ServiceJourney pages (docs/upstreams.md example).
const sandbox = "allow-forms,allow-modals,allow-popups,allow-presentation,allow-same-origin,allow-scripts,allow-downloads"

// agentRolePolicies are what agents need with their own token: read their
// conversation and place a click-to-dial call (docs/upstreams.md).
var agentRolePolicies = []genesys.PermissionPolicy{
	{Domain: "conversation", EntityName: "communication", ActionSet: []string{"view"}},
	{Domain: "conversation", EntityName: "conference", ActionSet: []string{"add"}},
}

// maxNotes: the premium-app wizard truncates its notes to 500 characters
// (docs/upstreams.md step 7); ours stay below.
const maxNotes = 500

// InstallerOptions configure an Installer.
type InstallerOptions struct {
	// PublicURL is server.publicURL: the apps open pages under it.
	PublicURL string
	// Prefix starts every object's name (default DefaultPrefix).
	Prefix string
	// CommunicationTypes filters the interaction widget (default "call, chat, email",
	// docs/upstreams.md's example; Genesys's full list is not documented there).
	CommunicationTypes string
	// ServerClientID is genesys.clientId: the Client Credentials OAuth
	// client Install gives the server role to (and Uninstall takes it from).
	ServerClientID string
	// Actions, when set, makes the installer install the data actions
	// (config actions.*: on when actions.password is set).
	Actions *ActionsInstall
	// Now is the clock of the install record; nil means time.Now.
	Now func() time.Time
}

// Installer installs, finds and removes the connector's Genesys objects. It
// holds no token: each call gets the Genesys client to act with (the signed-in
// administrator's, via genesys.Client.WithToken).
type Installer struct{ o InstallerOptions }

// NewInstaller fills defaults.
func NewInstaller(o InstallerOptions) *Installer {
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.CommunicationTypes == "" {
		o.CommunicationTypes = "call, chat, email"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Installer{o: o}
}

// Prefix is the name prefix.
func (in *Installer) Prefix() string { return in.o.Prefix }

// WizardBase is the address every Premium App URL of ours starts with.
func (in *Installer) WizardBase() string { return in.o.PublicURL + "/dcm-connect-docs/wizard/" }

// WizardURL is the Application URL to give the Premium App (docs/upstreams.md variables).
func (in *Installer) WizardURL() string {
	return in.WizardBase() + "index.html?langTag={{gcLangTag}}&gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}"
}

// WidgetURL is the interaction widget's URL: the agent page with the
// template variables Genesys fills per interaction (docs/upstreams.md).
func (in *Installer) WidgetURL() string {
	return in.o.PublicURL + "/dcm-connect-docs/index.html?gcConversationId={{gcConversationId}}&gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}&gcLangTag={{gcLangTag}}&pcUsePopupAuth={{pcUsePopupAuth}}"
}

// SupervisorURL is the standalone supervisor app's URL.
func (in *Installer) SupervisorURL() string {
	return in.o.PublicURL + "/dcm-connect-docs/supervisor.html?gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}&gcLangTag={{gcLangTag}}"
}

// Name is the name of the object of kind.
func (in *Installer) Name(kind string) string {
	switch kind {
	case KindGroup:
		return in.o.Prefix + "Agents"
	case KindRole:
		return in.o.Prefix + "Agent"
	case KindServerRole:
		return in.o.Prefix + "Server"
	case KindWidget:
		return in.o.Prefix + "Agent"
	case KindSupervisor:
		return in.o.Prefix + "Supervisor"
	case KindDataActions:
		return in.o.Prefix + "Data Actions"
	}
	return ""
}

// Plan lists what Install makes, by kind and name.
func (in *Installer) Plan() []Object {
	kinds := in.Kinds()
	out := make([]Object, len(kinds))
	for i, k := range kinds {
		out[i] = Object{Kind: k, Name: in.Name(k)}
	}
	return out
}

// Object is one Genesys object of the connector.
type Object struct {
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	// Action is what Install/Uninstall did: created, updated, unchanged,
	// recorded, deleted, gone (already removed) or kept (renamed: not ours any more).
	Action string `json:"action,omitempty"`
	// Problem says what is wrong with an existing app (URL elsewhere,
	// disabled), in English; ProblemMsg says it by code.
	Problem    string `json:"problem,omitempty"`
	ProblemMsg *Msg   `json:"problemMsg,omitempty"`
	// Grant is what Install or Uninstall did to the Client Credentials OAuth
	// client's roles (the server role only).
	Grant *Grant `json:"grant,omitempty"`
}

// setProblem records what is wrong with o (nothing for the zero Msg).
func (o *Object) setProblem(m Msg) {
	if m.IsZero() {
		o.Problem, o.ProblemMsg = "", nil
		return
	}
	o.Problem, o.ProblemMsg = m.String(), &m
}

// kindMsg is a kind in words, by code.
func kindMsg(kind string) Msg { return M("kind." + kind) }

// Record is what the install writes into the Premium App's notes.
type Record struct {
	Prefix string            `json:"prefix"`
	At     string            `json:"at"`
	By     string            `json:"by,omitempty"`
	IDs    map[string]string `json:"ids"`
}

// State is what exists now.
type State struct {
	Prefix     string  `json:"prefix"`
	PremiumApp *Object `json:"premiumApp,omitempty"`
	// Recorded is the Premium App's install record, if any.
	Recorded *Record `json:"recorded,omitempty"`
	// Objects are the connector objects found by name (several of one kind
	// when someone duplicated them).
	Objects []Object `json:"objects"`
}

// Object returns the first object of kind, or nil.
func (s *State) Object(kind string) *Object {
	for i := range s.Objects {
		if s.Objects[i].Kind == kind {
			return &s.Objects[i]
		}
	}
	return nil
}

// Result is what Install or Uninstall did.
type Result struct {
	Objects    []Object `json:"objects"`
	PremiumApp *Object  `json:"premiumApp,omitempty"`
	// Recorded is true when the Premium App's notes now hold the install
	// (Install) or no longer do (Uninstall).
	Recorded bool `json:"recorded"`
	// Warnings are in English; WarningMsgs say the same by code.
	Warnings    []string `json:"warnings,omitempty"`
	WarningMsgs []Msg    `json:"warningMsgs,omitempty"`
}

func (r *Result) warn(m Msg) {
	r.Warnings = append(r.Warnings, m.String())
	r.WarningMsgs = append(r.WarningMsgs, m)
}

// Find looks up the Premium App and the connector objects.
func (in *Installer) Find(ctx context.Context, gc *genesys.Client) (*State, error) {
	st := &State{Prefix: in.o.Prefix, Objects: []Object{}}
	pa, cfg, err := in.findPremiumApp(ctx, gc)
	if err != nil {
		return nil, fmt.Errorf("looking for the Premium App: %w", err)
	}
	if pa != nil {
		st.PremiumApp = &Object{Kind: "premiumApp", ID: pa.ID, Name: pa.Name}
		st.Recorded = parseRecord(cfg.Notes)
	}
	for _, k := range []string{KindGroup, KindRole} {
		objs, err := in.findNamed(ctx, gc, k)
		if err != nil {
			return nil, fmt.Errorf("looking for the %s: %w", KindTitle(k), err)
		}
		st.Objects = append(st.Objects, objs...)
	}
	needs, _ := serverNeeds(ctx, gc)
	serverRoles, _, err := in.findServerRoles(ctx, gc, needs)
	if err != nil {
		return nil, fmt.Errorf("looking for the %s: %w", KindTitle(KindServerRole), err)
	}
	st.Objects = append(st.Objects, serverRoles...)
	for _, k := range []string{KindWidget, KindSupervisor} {
		apps, err := in.findApps(ctx, gc, k)
		if err != nil {
			return nil, fmt.Errorf("looking for the %s: %w", KindTitle(k), err)
		}
		for _, a := range apps {
			o := Object{Kind: k, ID: a.in.ID, Name: a.in.Name}
			if got, want := propString(a.cfg.Properties, "url"), in.appURL(k); got != want {
				o.setProblem(M("problem.opensElsewhere", "got", got, "want", want))
			} else if a.in.IntendedState != "" && a.in.IntendedState != "ENABLED" {
				o.setProblem(M("problem.disabled"))
			}
			st.Objects = append(st.Objects, o)
		}
	}
	if in.o.Actions != nil {
		found, err := in.findActionsIntegrations(ctx, gc)
		if err != nil {
			return nil, fmt.Errorf("looking for the %s: %w", KindTitle(KindDataActions), err)
		}
		for i := range found {
			o := Object{Kind: KindDataActions, ID: found[i].ID, Name: found[i].Name}
			problem, err := in.actionsProblem(ctx, gc, &found[i])
			if err != nil {
				return nil, fmt.Errorf("looking at the %s: %w", KindTitle(KindDataActions), err)
			}
			o.setProblem(problem)
			st.Objects = append(st.Objects, o)
		}
	}
	return st, nil
}

// findPremiumApp pages through the client apps for the one whose
// Application URL opens our wizard (so no product id has to be configured).
func (in *Installer) findPremiumApp(ctx context.Context, gc *genesys.Client) (*genesys.Integration, *genesys.IntegrationConfiguration, error) {
	base := strings.ToLower(in.WizardBase())
	for page := 1; page <= 50; page++ {
		p, err := gc.Integrations.ListClientApps(ctx, &genesys.ListOptions{PageSize: 100, PageNumber: page})
		if err != nil {
			return nil, nil, err
		}
		for i := range p.Entities {
			it := &p.Entities[i]
			if it.IntegrationType != nil && (it.IntegrationType.ID == typeWidget || it.IntegrationType.ID == typeStandalone) {
				continue
			}
			cfg, err := currentConfig(ctx, gc, it)
			if err != nil {
				return nil, nil, err
			}
			if strings.HasPrefix(strings.ToLower(propString(cfg.Properties, "url")), base) {
				// Re-read: the listing may hold an older config than config/current.
				if cfg, err = gc.Integrations.GetConfig(ctx, it.ID); err != nil {
					return nil, nil, err
				}
				return it, cfg, nil
			}
		}
		if p.NextURI == "" || len(p.Entities) == 0 {
			break
		}
	}
	return nil, nil, nil
}

// currentConfig is the listing's config/current, or a fresh read when the
// listing left it out.
func currentConfig(ctx context.Context, gc *genesys.Client, it *genesys.Integration) (*genesys.IntegrationConfiguration, error) {
	if it.Config != nil && it.Config.Current != nil && len(it.Config.Current.Properties) > 0 {
		return it.Config.Current, nil
	}
	return gc.Integrations.GetConfig(ctx, it.ID)
}

func propString(props map[string]any, key string) string {
	s, _ := props[key].(string)
	return s
}

func (in *Installer) appURL(kind string) string {
	if kind == KindWidget {
		return in.WidgetURL()
	}
	return in.SupervisorURL()
}

func appType(kind string) string {
	if kind == KindWidget {
		return typeWidget
	}
	return typeStandalone
}

type app struct {
	in  genesys.Integration
	cfg *genesys.IntegrationConfiguration
}

// findApps returns the integrations of kind's type carrying kind's name.
func (in *Installer) findApps(ctx context.Context, gc *genesys.Client, kind string) ([]app, error) {
	all, err := gc.Integrations.ListAll(ctx, &genesys.IntegrationListOptions{IntegrationType: appType(kind)})
	if err != nil {
		return nil, err
	}
	var out []app
	for i := range all {
		it := &all[i]
		if it.Name != in.Name(kind) || (it.IntegrationType != nil && it.IntegrationType.ID != appType(kind)) {
			continue
		}
		cfg, err := currentConfig(ctx, gc, it)
		if err != nil {
			return nil, err
		}
		out = append(out, app{in: *it, cfg: cfg})
	}
	return out, nil
}

// findNamed returns the groups or roles carrying kind's name.
func (in *Installer) findNamed(ctx context.Context, gc *genesys.Client, kind string) ([]Object, error) {
	name := in.Name(kind)
	var out []Object
	switch kind {
	case KindGroup:
		groups, err := gc.Groups.Search(ctx, in.o.Prefix)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if g.Name == name {
				out = append(out, Object{Kind: kind, ID: g.ID, Name: g.Name})
			}
		}
	case KindRole:
		p, err := gc.Authorization.ListRoles(ctx, &genesys.RoleListOptions{Name: name, PageSize: 100})
		if err != nil {
			return nil, err
		}
		for _, r := range p.Entities {
			if r.Name == name {
				out = append(out, Object{Kind: kind, ID: r.ID, Name: r.Name})
			}
		}
	}
	return out, nil
}

// Install runs parts (all of Parts when none are given) with gc, which acts
// as the signed-in administrator; adminUserID joins the group and gets the
// role, as Genesys's own premium-app wizard does. It stops at the first
// failure, returning what was done so far; running it again picks up.
func (in *Installer) Install(ctx context.Context, gc *genesys.Client, adminUserID string, parts ...string) (*Result, error) {
	if len(parts) == 0 {
		parts = in.Parts()
	}
	for _, p := range parts {
		if !slices.Contains(Parts, p) {
			return nil, fmt.Errorf("unknown install part %q; the parts are %s", p, strings.Join(Parts, ", "))
		}
	}
	res := &Result{Objects: []Object{}}
	for _, p := range parts {
		var err error
		var o *Object
		switch p {
		case "group":
			o, err = in.ensureGroup(ctx, gc, adminUserID)
		case "role":
			o, err = in.ensureRole(ctx, gc, adminUserID)
		case "serverRole":
			o, err = in.ensureServerRole(ctx, gc, res)
		case "widget":
			o, err = in.ensureWidget(ctx, gc)
		case "supervisor":
			o, err = in.ensureApp(ctx, gc, KindSupervisor, map[string]any{
				"url": in.SupervisorURL(), "sandbox": sandbox, "permissions": "clipboard-write",
				"displayType": "standalone", "featureCategory": "",
			})
		case "actions":
			if in.o.Actions == nil {
				res.warn(M("warn.actionsNotSet"))
				continue
			}
			var objs []Object
			objs, err = in.ensureActions(ctx, gc)
			res.Objects = append(res.Objects, objs...)
		case "record":
			err = in.record(ctx, gc, adminUserID, res)
		}
		if o != nil {
			res.Objects = append(res.Objects, *o)
		}
		if err != nil {
			return res, fmt.Errorf("installing (%s): %w", p, err)
		}
	}
	return res, nil
}

func (in *Installer) ensureGroup(ctx context.Context, gc *genesys.Client, adminUserID string) (*Object, error) {
	found, err := in.findNamed(ctx, gc, KindGroup)
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		o := found[0]
		o.Action = "unchanged"
		return &o, nil
	}
	g, err := gc.Groups.Create(ctx, &genesys.Group{Name: in.Name(KindGroup), Type: "official", Visibility: "public",
		Description: "Agents who see the ServiceJourney interaction widget (made by the dcmconnect setup wizard)"})
	if err != nil {
		return nil, err
	}
	o := &Object{Kind: KindGroup, ID: g.ID, Name: g.Name, Action: "created"}
	if adminUserID != "" {
		if err := gc.Groups.AddMembers(ctx, g.ID, max(g.Version, 1), adminUserID); err != nil {
			return o, fmt.Errorf("adding you to the group: %w", err)
		}
	}
	return o, nil
}

func (in *Installer) ensureRole(ctx context.Context, gc *genesys.Client, adminUserID string) (*Object, error) {
	found, err := in.findNamed(ctx, gc, KindRole)
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		o := found[0]
		o.Action = "unchanged"
		return &o, nil
	}
	r, err := gc.Authorization.CreateRole(ctx, &genesys.Role{Name: in.Name(KindRole), PermissionPolicies: agentRolePolicies,
		Description: "What agents need for the ServiceJourney Connector (made by the dcmconnect setup wizard)"})
	if err != nil {
		return nil, err
	}
	o := &Object{Kind: KindRole, ID: r.ID, Name: r.Name, Action: "created"}
	if adminUserID != "" {
		if _, err := gc.Authorization.AddRoleUsers(ctx, r.ID, adminUserID); err != nil {
			return o, fmt.Errorf("granting you the role: %w", err)
		}
	}
	return o, nil
}

func (in *Installer) ensureWidget(ctx context.Context, gc *genesys.Client) (*Object, error) {
	groups, err := in.findNamed(ctx, gc, KindGroup)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("the group %q does not exist: install the group first", in.Name(KindGroup))
	}
	return in.ensureApp(ctx, gc, KindWidget, map[string]any{
		"url": in.WidgetURL(), "sandbox": sandbox, "permissions": "clipboard-write",
		"displayType": "widget", "featureCategory": "",
		"communicationTypeFilter": in.o.CommunicationTypes, "groups": []string{groups[0].ID},
	})
}

// ensureApp creates the client app when missing, then brings its name and
// properties to props and enables it, writing only what differs.
func (in *Installer) ensureApp(ctx context.Context, gc *genesys.Client, kind string, props map[string]any) (*Object, error) {
	found, err := in.findApps(ctx, gc, kind)
	if err != nil {
		return nil, err
	}
	name := in.Name(kind)
	o := &Object{Kind: kind, Name: name, Action: "unchanged"}
	state := ""
	if len(found) > 0 {
		o.ID, state = found[0].in.ID, found[0].in.IntendedState
	} else {
		created, err := gc.Integrations.Create(ctx, name, appType(kind))
		if err != nil {
			return nil, err
		}
		o.ID, o.Action, state = created.ID, "created", created.IntendedState
	}
	cfg, err := gc.Integrations.GetConfig(ctx, o.ID)
	if err != nil {
		return o, err
	}
	if cfg.Name != name || !sameJSON(cfg.Properties, props) {
		next := &genesys.IntegrationConfiguration{Name: name, Version: cfg.Version, Properties: props,
			Advanced: cfg.Advanced, Credentials: cfg.Credentials, Notes: cfg.Notes}
		if _, err := gc.Integrations.PutConfig(ctx, o.ID, next); err != nil {
			return o, fmt.Errorf("configuring the %s: %w", KindTitle(kind), err)
		}
		if o.Action == "unchanged" {
			o.Action = "updated"
		}
	}
	if state != "ENABLED" {
		if _, err := gc.Integrations.Patch(ctx, o.ID, &genesys.Integration{IntendedState: "ENABLED"}); err != nil {
			return o, fmt.Errorf("enabling the %s: %w", KindTitle(kind), err)
		}
		if o.Action == "unchanged" {
			o.Action = "updated"
		}
	}
	return o, nil
}

func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// record writes the install into the Premium App's notes, as the
// premium-app wizard does (docs/upstreams.md step 7). Without a Premium App the
// install still stands; Uninstall then finds the objects by name.
func (in *Installer) record(ctx context.Context, gc *genesys.Client, adminUserID string, res *Result) error {
	st, err := in.Find(ctx, gc)
	if err != nil {
		return err
	}
	if st.PremiumApp == nil {
		res.warn(M("warn.notRecorded", "url", in.WizardBase()))
		return nil
	}
	res.PremiumApp = st.PremiumApp
	ids := map[string]string{}
	for _, k := range in.Kinds() {
		if o := st.Object(k); o != nil {
			ids[k] = o.ID
		}
	}
	if st.Recorded != nil && st.Recorded.Prefix == in.o.Prefix && maps.Equal(st.Recorded.IDs, ids) {
		res.Recorded = true
		st.PremiumApp.Action = "unchanged"
		return nil
	}
	rec := Record{Prefix: in.o.Prefix, At: in.o.Now().UTC().Format(time.RFC3339), By: adminUserID, IDs: ids}
	notes, err := json.Marshal(map[string]Record{"dcmconnect": rec})
	if err != nil {
		return err
	}
	if len(notes) > maxNotes {
		return fmt.Errorf("the install record is %d characters, more than the %d the notes hold", len(notes), maxNotes)
	}
	if err := in.setNotes(ctx, gc, st.PremiumApp.ID, string(notes)); err != nil {
		return fmt.Errorf("recording the install in the Premium App: %w", err)
	}
	res.Recorded = true
	st.PremiumApp.Action = "recorded"
	return nil
}

// setNotes rewrites config/current with new notes, keeping everything else.
func (in *Installer) setNotes(ctx context.Context, gc *genesys.Client, id, notes string) error {
	cfg, err := gc.Integrations.GetConfig(ctx, id)
	if err != nil {
		return err
	}
	next := *cfg
	next.Notes = notes
	_, err = gc.Integrations.PutConfig(ctx, id, &next)
	return err
}

func parseRecord(notes string) *Record {
	var wrap map[string]*Record
	if json.Unmarshal([]byte(notes), &wrap) != nil {
		return nil
	}
	return wrap["dcmconnect"]
}

// Uninstall removes what Install made and nothing else: objects named with
// our names, plus those the install record lists, each only while its name
// still starts with the prefix (an object an administrator renamed is theirs
// now). Apps go first, then the group they filter on, then the role; finally
// the record is cleared.
func (in *Installer) Uninstall(ctx context.Context, gc *genesys.Client) (*Result, error) {
	st, err := in.Find(ctx, gc)
	if err != nil {
		return nil, err
	}
	res := &Result{Objects: []Object{}, PremiumApp: st.PremiumApp}
	recorded := map[string]string{}
	if st.Recorded != nil {
		recorded = st.Recorded.IDs
	}
	for _, k := range []string{KindDataActions, KindWidget, KindSupervisor, KindGroup, KindRole, KindServerRole} {
		targets := map[string]Object{}
		for _, o := range st.Objects {
			if o.Kind == k {
				targets[o.ID] = o
			}
		}
		if id := recorded[k]; id != "" {
			if _, ok := targets[id]; !ok {
				o, err := in.lookup(ctx, gc, k, id)
				if err != nil {
					return res, err
				}
				if o.Action == "" {
					targets[id] = o
				} else {
					res.Objects = append(res.Objects, o)
				}
			}
		}
		ids := make([]string, 0, len(targets))
		for id := range targets {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			o := targets[id]
			if k == KindServerRole {
				g, err := in.ungrantServerRole(ctx, gc, id, res)
				if err != nil {
					return res, fmt.Errorf("taking the %s %q from the Client Credentials OAuth client: %w", KindTitle(k), o.Name, err)
				}
				o.Grant = g
			}
			if err := in.remove(ctx, gc, k, id); err != nil {
				if !isNotFound(err) {
					return res, fmt.Errorf("removing the %s %q: %w", KindTitle(k), o.Name, err)
				}
				o.Action = "gone"
			} else {
				o.Action = "deleted"
			}
			o.setProblem(none)
			res.Objects = append(res.Objects, o)
		}
	}
	if st.PremiumApp != nil && st.Recorded != nil {
		if err := in.setNotes(ctx, gc, st.PremiumApp.ID, ""); err != nil {
			return res, fmt.Errorf("clearing the install record in the Premium App: %w", err)
		}
		res.Recorded = true
	}
	return res, nil
}

// lookup reads a recorded object that was not found by name: Action stays
// empty when it is still ours to delete, "gone" or "kept" otherwise.
func (in *Installer) lookup(ctx context.Context, gc *genesys.Client, kind, id string) (Object, error) {
	o := Object{Kind: kind, ID: id}
	switch kind {
	case KindWidget, KindSupervisor, KindDataActions:
		it, err := gc.Integrations.Get(ctx, id)
		if isNotFound(err) {
			o.Action = "gone"
			return o, nil
		}
		if err != nil {
			return o, err
		}
		o.Name = it.Name
	case KindGroup:
		groups, err := gc.Groups.Search(ctx, in.o.Prefix)
		if err != nil {
			return o, err
		}
		o.Action = "gone" // renamed out of the prefix, or deleted: either way not ours
		for _, g := range groups {
			if g.ID == id {
				o.Name, o.Action = g.Name, ""
			}
		}
		return o, nil
	case KindRole, KindServerRole:
		// Roles are found by exact name only: a recorded role under another
		// name was renamed by someone and is theirs now.
		o.Action = "kept"
		return o, nil
	}
	if !strings.HasPrefix(o.Name, in.o.Prefix) {
		o.Action = "kept"
	}
	return o, nil
}

func (in *Installer) remove(ctx context.Context, gc *genesys.Client, kind, id string) error {
	switch kind {
	case KindWidget, KindSupervisor:
		return gc.Integrations.Delete(ctx, id)
	case KindDataActions:
		return in.removeActions(ctx, gc, id)
	case KindGroup:
		return gc.Groups.Delete(ctx, id)
	case KindRole, KindServerRole:
		return gc.Authorization.DeleteRole(ctx, id)
	}
	return fmt.Errorf("unknown kind %q", kind)
}

func isNotFound(err error) bool { return errors.Is(err, genesys.ErrNotFound) }
