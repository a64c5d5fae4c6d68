// Command dcmconnect is the DCM connector between Genesys Cloud and Eccentex
// AppBase ServiceJourney: one binary, one config file.
package main

import (
	"fmt"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("dcmconnect", version)
		return
	}
	fmt.Fprintln(os.Stderr, "dcmconnect: not implemented yet")
	os.Exit(2)
}
