package genesystest

import "time"

// OAuth grant types of a Client, as the OAuth clients API spells them.
const (
	GrantClientCredentials = "CLIENT-CREDENTIALS"
	GrantImplicit          = "TOKEN" // implicit grant (browser)
	GrantCode              = "CODE"  // authorization code, with or without PKCE
)

// DefaultTokenTTL is the token lifetime when a Client sets none: the
// platform default of 24 h shows up as expires_in 86399 (docs/upstreams.md).
const DefaultTokenTTL = 86399 * time.Second

// Client is an OAuth client. Zero fields get defaults: ID a UUID, GrantType
// CLIENT-CREDENTIALS, TokenTTL DefaultTokenTTL, State "active", OrgID the
// home organization (see SetOrg).
type Client struct {
	ID           string
	Secret       string
	Name         string
	Description  string
	GrantType    string
	RedirectURIs []string // must match redirect_uri exactly, query included
	Scopes       []string
	// RoleIDs are roles granted in the home division (the API's deprecated
	// roleIds); RoleDivisions are role grants in a named division ("*" for
	// all). A client-credentials token acts with both.
	RoleIDs       []string
	RoleDivisions []RoleDivision
	OrgID         string
	TokenTTL      time.Duration
	State         string // "active" or "inactive"
	DateCreated   time.Time
}

// User is a Genesys user. Zero fields get defaults: ID a UUID, State
// "active", Username the Email, Presence "OFFLINE", RoutingStatus "OFF_QUEUE",
// Division the home division, OrgID the home organization, Version 1.
type User struct {
	ID         string
	Name       string
	Email      string
	Username   string
	State      string // active, inactive, deleted
	Title      string
	Department string
	Phone      string // work phone, shown in primaryContactInfo/addresses
	// Permissions are "domain:entity:action" strings; "*" matches any part.
	Permissions []string
	Roles       []string // role ids; their permission policies add permissions
	// Presence is a system presence: AVAILABLE, AWAY, BUSY, OFFLINE, IDLE,
	// ON_QUEUE, MEAL, TRAINING, MEETING, BREAK (the wire shows "Available",
	// "On Queue", ...).
	Presence string
	// RoutingStatus: OFF_QUEUE, IDLE, INTERACTING, NOT_RESPONDING, COMMUNICATING.
	RoutingStatus string
	Division      Division
	OrgID         string
	Version       int
}

// RoleDivision grants a role within a division ("*" for all divisions).
// Model: platformclientv2.Roledivision.
type RoleDivision struct {
	RoleID     string `json:"roleId"`
	DivisionID string `json:"divisionId"`
}

// Division is a Genesys division reference.
type Division struct {
	ID   string
	Name string
}

// Conversation is a Genesys conversation. EndTime is nil while it is active.
// Zero IDs (conversation, participants, media) are filled with UUIDs.
type Conversation struct {
	ID          string
	Name        string
	Address     string // DNIS for inbound calls, ANI for outbound
	ExternalTag string
	// OriginatingDirection is "inbound" or "outbound"; when empty it follows
	// the first customer/external participant's first media direction.
	OriginatingDirection string
	StartTime            time.Time
	EndTime              *time.Time
	DivisionID           string
	Participants         []Participant
}

// Participant is one party of a conversation. Purpose is customer, agent,
// acd, external, user, ivr, ... .
type Participant struct {
	ID             string
	Name           string
	Purpose        string
	UserID         string
	QueueID        string
	QueueName      string // resolved from AddQueue when empty
	ANI            string // e.g. "tel:+3225551234"
	DNIS           string
	Address        string
	Attributes     map[string]string // participant data
	Wrapup         *Wrapup
	WrapupRequired bool
	StartTime      time.Time
	ConnectedTime  *time.Time
	EndTime        *time.Time
	// StartAcwTime and EndAcwTime bound the participant's after-call work.
	StartAcwTime *time.Time
	EndAcwTime   *time.Time
	// One leg per media session, as in platformclientv2.Participant.
	Calls             []Media
	Callbacks         []Media // callbacks and ACD voicemails (Media.Voicemail)
	Chats             []Media
	Emails            []Media
	Messages          []Media
	Videos            []Media
	Screenshares      []Media
	SocialExpressions []Media
	Cobrowsesessions  []Media
}

// mediaLists is every media list of p, sharing p's arrays (so legs can be
// changed in place), with the analytics mediaType of each ("" for social
// expressions, which analytics does not report).
func (p *Participant) mediaLists() []mediaList {
	return []mediaList{
		{"voice", p.Calls}, {"callback", p.Callbacks}, {"chat", p.Chats}, {"email", p.Emails}, {"message", p.Messages},
		{"video", p.Videos}, {"screenshare", p.Screenshares}, {"", p.SocialExpressions}, {"cobrowse", p.Cobrowsesessions},
	}
}

type mediaList struct {
	analyticsType string
	legs          []Media
}

// Wrapup is an agent's wrap-up. Name is resolved from AddWrapupCode when empty.
type Wrapup struct {
	Code            string // wrap-up code id
	Name            string
	Notes           string
	DurationSeconds int
	EndTime         *time.Time
}

// Media is one call, chat, email or message of a participant.
type Media struct {
	ID               string
	State            string // alerting, dialing, contacting, connected, disconnected, terminated, ...
	Direction        string // inbound or outbound
	DisconnectType   string
	ConnectedTime    *time.Time
	DisconnectedTime *time.Time
	// AfterCallWork is the leg's after-call work; nil sends none.
	AfterCallWork         *AfterCallWork
	AfterCallWorkRequired bool
	// Callback legs only: the numbers to call back, and whether the
	// callback carries an ACD voicemail.
	CallbackNumbers []string
	Voicemail       bool
}

// AfterCallWork is a leg's after-call work (Model: platformclientv2.Aftercallwork).
// State is unknown, notApplicable, skipped, pending or complete.
type AfterCallWork struct {
	State     string
	StartTime *time.Time
	EndTime   *time.Time
}

// Fault is injected on a route by Server.Fault. Latency runs first (cut short
// when the client gives up or the server closes); then Drop closes the
// connection without an answer, or Status answers with a Genesys error body
// (429 adds Retry-After, 1 s when RetryAfter is zero; other 4xx on
// POST /oauth/token use the login host's OAuth error body). A fault with only
// Latency lets the request through afterwards. Times is how many requests the
// fault hits; 0 means every request until ClearFaults.
type Fault struct {
	Latency    time.Duration
	Status     int
	RetryAfter time.Duration // sent in whole seconds, rounded up
	Drop       bool
	Times      int
}

// Integration is an installed integration (client app, premium app, ...).
type Integration struct {
	ID            string
	Name          string
	TypeID        string
	Notes         string
	IntendedState string // ENABLED, DISABLED, DELETED
	Config        IntegrationConfig
	Created       time.Time
}

// IntegrationConfig is the current configuration of an integration.
type IntegrationConfig struct {
	Name        string
	Version     int
	Notes       string
	Properties  map[string]any
	Advanced    map[string]any
	Credentials map[string]any
}

// IntegrationType is an installable integration type (a "product").
// MaxInstances > 0 refuses more installs than that.
type IntegrationType struct {
	ID           string
	Name         string
	Description  string
	Provider     string
	Category     string
	MaxInstances int
}

// Role is an authorization role.
type Role struct {
	ID                 string
	Name               string
	Description        string
	PermissionPolicies []PermissionPolicy
	UserIDs            []string
	Default            bool
}

// PermissionPolicy grants domain:entityName:action for each action.
type PermissionPolicy struct {
	Domain          string   `json:"domain"`
	EntityName      string   `json:"entityName"`
	ActionSet       []string `json:"actionSet"`
	AllowConditions bool     `json:"allowConditions"`
}

// Group is a directory group.
type Group struct {
	ID           string
	Name         string
	Description  string
	Type         string // official or social
	Visibility   string // public, owners, members
	RulesVisible bool
	State        string
	MemberIDs    []string
	Version      int
}
