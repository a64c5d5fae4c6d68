package main

import (
	"context"
	"fmt"

	"dcmconnect/migrate"
)

// cmdMigrate reads the old install's files and writes a dcmconnect.yaml,
// reporting what it mapped, what it could not and what is still a placeholder.
func cmdMigrate(_ context.Context, g globals, args []string) error {
	fs := newFlags("migrate", &g)
	var o migrate.MigrateOptions
	fs.StringVar(&o.WebConfigPath, "web-config", "", `the old C:\AppBaseGenesys\dcmservices\Web.config`)
	fs.StringVar(&o.ConfigJSPath, "config-js", "", `the old C:\AppBaseGenesys\docs\config\config.js`)
	fs.StringVar(&o.OutPath, "out", "dcmconnect.yaml", "the YAML file to write (must not exist)")
	fs.BoolVar(&o.InlineSecrets, "inline-secrets", false, "write secrets into the YAML instead of separate 0600 files")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.WebConfigPath == "" && o.ConfigJSPath == "" {
		return &exitError{exitUsage, fmt.Errorf("give --web-config, --config-js or both")}
	}
	rep, err := migrate.Run(o)
	if err != nil {
		return err
	}
	fmt.Fprint(g.stdout, rep.String())
	if rep.Problems != nil && rep.Problems.Err() != nil {
		return &exitError{exitUsage, fmt.Errorf("%s was written but still has problems; fix them and run 'dcmconnect check-config --config %s'", rep.OutPath, rep.OutPath)}
	}
	return nil
}
