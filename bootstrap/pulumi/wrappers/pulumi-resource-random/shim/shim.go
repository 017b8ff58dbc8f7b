// Package shim returns the upstream Terraform random provider (Plugin Framework).
package shim

import (
	tfpf "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider returns the upstream provider.
func NewProvider() tfpf.Provider { return provider.New() }
