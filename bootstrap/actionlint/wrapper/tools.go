//go:build tools

// Package tools pins actionlint's command for this wrapper module: bootstrap/actionlint/install.sh builds
// github.com/rhysd/actionlint/cmd/actionlint from here with -mod=readonly, so every module is checked
// against the committed go.sum. (Its own go.mod cannot be `go install`ed through a wrapper-free path and stay pinned.)
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
