// Package setup verifies an installation step by step and installs the
// Genesys Cloud side of the connector. `dcmconnect check` and the setup
// wizard's SetupStatus share the Checker: one Line per step of the old install
// guide (pass, warn or fail, and what to do when it is not a pass). The
// Installer creates, finds, updates and removes the connector's Genesys
// objects (interaction widget, supervisor app, agents group, role), each named
// with a prefix so a re-run updates instead of duplicating, and records what it
// made in the Premium App's integration notes.
//
// Every upstream call carries a deadline: the genesys and appbase clients time
// each request, and each check runs under Options.Timeout. The two HTTP probes
// this package makes itself (our public URL, a ServiceJourney page) are counted
// in dcmconnect_setup_probes_total.
package setup
