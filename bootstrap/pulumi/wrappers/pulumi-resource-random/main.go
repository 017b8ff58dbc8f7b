// pulumi-resource-random: the Pulumi "random" provider, bridged from the
// upstream Terraform random provider with pulumi-terraform-bridge.
//
// The Go module of pulumi-random's own provider is not available from the
// module proxy, so this wrapper supplies the minimal glue itself: the token
// mapping that the generated @pulumi/random SDK expects
// (random_password -> random:index/randomPassword:RandomPassword, ...).
// The package schema is generated from that mapping when the engine asks.
package main

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"
	sdkbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/terraform-providers/terraform-provider-random/shim"
)

// version is set at build time: -ldflags "-X main.version=4.21.2".
var version = "0.0.0-dev"

func providerInfo() sdkbridge.ProviderInfo {
	info := sdkbridge.ProviderInfo{
		P:       tfbridge.ShimProvider(shim.NewProvider()),
		Name:    "random",
		Version: version,
		// Bridge metadata normally comes from a tfgen run; this provider has no
		// earlier releases to stay compatible with, so it starts empty.
		MetadataInfo: sdkbridge.NewProviderMetadata([]byte("{}")),
		Resources: map[string]*sdkbridge.ResourceInfo{
			// random_bytes has no "id" attribute upstream: use its value.
			"random_bytes": {ComputeID: idFrom("base64")},
		},
		EnableAccurateBridgePreview: true,
		EnableRawStateDelta:         true,
	}
	// Every resource keeps its "Random" prefix in the Pulumi token.
	info.MustComputeTokens(tokens.SingleModule("random_", "index",
		func(module, name string) (string, error) {
			return tokens.MakeStandard("random")(module, "Random"+name)
		}))
	return info
}

func idFrom(key resource.PropertyKey) func(context.Context, resource.PropertyMap) (resource.ID, error) {
	return func(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
		v, ok := state[key]
		if !ok {
			return "", errors.New("state has no " + string(key))
		}
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		if !v.IsString() {
			return "", errors.New(string(key) + " is not a string")
		}
		return resource.ID(v.StringValue()), nil
	}
}

func main() {
	ctx := context.Background()
	info := providerInfo()
	tfbridge.Main(ctx, "random", info, tfbridge.ProviderMetadata{
		XGetSchema: func(ctx context.Context, _ plugin.GetSchemaRequest) ([]byte, error) {
			res, err := tfgen.GenerateSchema(ctx, tfgen.GenerateSchemaOptions{ProviderInfo: providerInfo()})
			if err != nil {
				return nil, err
			}
			var spec map[string]any
			if err := json.Unmarshal(res.ProviderMetadata.PackageSchema, &spec); err != nil {
				return nil, err
			}
			spec["version"] = version
			return json.Marshal(spec)
		},
	})
}
