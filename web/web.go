// Package web holds the connector's pages, embedded into the binary so an
// install is one file. It is only files: the api package serves them and
// renders config/config.js from the configuration.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:docs
var docs embed.FS

// Docs is the tree served under /dcm-connect-docs/ (index.html, supervisor.html,
// wizard/index.html, assets/, vendor/).
func Docs() fs.FS {
	sub, err := fs.Sub(docs, "docs")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory exists
	}
	return sub
}
