// pulumi-resource-kubernetes: the Pulumi kubernetes provider, from its Go
// module (github.com/pulumi/pulumi-kubernetes/provider/v4) on the module proxy.
//
// Upstream's own main package (cmd/pulumi-resource-kubernetes) cannot be
// imported, so this one does what it does: serve the provider under its name
// and version with the package schema and the Terraform mapping embedded.
// Both embedded files are generated from the provider module's
// cmd/pulumi-resource-kubernetes/{schema.json,terraform-mapping.json} by
// bootstrap/pulumi/install.sh at build time (upstream generates them with
// `go generate`); they are not committed. To build by hand, see README.md.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
)

// version is set at build time: -ldflags "-X main.version=4.25.0" (install.sh
// also sets .../provider/v4/pkg/version.Version, which goes into the provider's
// User-Agent).
var version = "0.0.0-dev"

// schema.json with "version" set to the version above.
//
//go:embed schema-embed.json
var pulumiSchema []byte

// terraform-mapping.json, compacted.
//
//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version, pulumiSchema, terraformMapping)
}
