package setup

import (
	"context"
	"time"

	"dcmconnect/genesys"
)

// Overview is what the wizard shows before anything runs: the name prefix,
// the objects Install makes, its parts in order and the wizard's own URL.
type Overview struct {
	Prefix    string   `json:"prefix"`
	Objects   []Object `json:"objects"`
	Parts     []string `json:"parts"`
	WizardURL string   `json:"wizardURL"`
}

// Service is the checker and installer behind the setup wizard. Every call
// acts with the signed-in administrator's token of that request, which is
// used for that call and never stored.
type Service struct {
	genesys   *genesys.Client
	checker   *Checker
	installer *Installer
	deadline  time.Duration
}

// NewService: gc is the background client (each call derives the admin's
// client from it); Status answers within deadline, reporting the checks
// still running then as out of time.
func NewService(gc *genesys.Client, ch *Checker, in *Installer, deadline time.Duration) *Service {
	return &Service{genesys: gc, checker: ch, installer: in, deadline: deadline}
}

// Plan describes what Install makes.
func (s *Service) Plan() Overview {
	return Overview{Prefix: s.installer.Prefix(), Objects: s.installer.Plan(), Parts: s.installer.Parts(), WizardURL: s.installer.WizardURL()}
}

// Status runs every check; the report's Installed holds what Step 5 found.
func (s *Service) Status(ctx context.Context, token string) (*Report, error) {
	ctx, cancel := context.WithTimeout(ctx, s.deadline)
	defer cancel()
	return s.checker.Run(ctx, s.genesys.WithToken(token)), nil
}

// Install runs parts (all when none) as the administrator userID.
func (s *Service) Install(ctx context.Context, token, userID string, parts []string) (*Result, error) {
	return s.installer.Install(ctx, s.genesys.WithToken(token), userID, parts...)
}

// Uninstall removes what Install made.
func (s *Service) Uninstall(ctx context.Context, token string) (*Result, error) {
	return s.installer.Uninstall(ctx, s.genesys.WithToken(token))
}
