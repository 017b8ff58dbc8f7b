//go:build tools

// Package wrappers pins the upstream main packages this module builds:
//
//	go build -o pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
//
// The build tag keeps this file out of every build; it only makes
// `go mod tidy` keep the requirements of the listed commands.
package wrappers

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
