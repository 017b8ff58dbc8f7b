//go:build tools

// Package wrappers pins the upstream main package this module builds:
//
//	go build -o pulumi-language-nodejs github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
//
// The language host is its own Go module in pulumi/pulumi with no tags, so it
// is named by a pseudo-version. The module proxy reachable here refuses it at
// the v3.248.0 commits (403 "not available"); bee5e4fa4815 (2025-08-06, in
// v3.188.0) is the newest commit it serves, so the host is built with the
// pkg/sdk release it was written for (v3.188.0; newer ones changed APIs it
// calls). It drives Node programs using @pulumi/pulumi 3.248.0 under CLI 3.248.0.
//
// The build tag keeps this file out of every build; it only makes
// `go mod tidy` keep the requirements of the listed command.
package wrappers

import (
	_ "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
)
