// pulumi-resource-docker: the Pulumi "docker" provider, bridged from the
// upstream Terraform docker provider (kreuzwerker, terraform-plugin-sdk/v2)
// with pulumi-terraform-bridge's SDKv2 shim.
//
// The Go module of pulumi-docker's own provider is not available from the
// module proxy, so this wrapper supplies the glue itself: the token mapping and
// field names that the generated @pulumi/docker SDK expects
// (docker_config -> docker:index/serviceConfig:ServiceConfig, ...). The package
// schema is generated from that mapping when the engine asks for it.
//
// Not provided: pulumi-docker's own (non-Terraform) docker:index/image:Image
// resource, which lives only in its provider module. docker.RemoteImage,
// docker.RegistryImage, docker.Tag etc. (the bridged ones) are here.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/spf13/afero"
	"github.com/terraform-providers/terraform-provider-docker/shim"
)

// version is set at build time: -ldflags "-X main.version=5.2.0".
var version = "0.0.0-dev"

const pkg = "docker"

// upstream returns the Terraform provider with the schema fixes we need.
func upstream() *schema.Provider {
	p := shim.NewProvider(version)
	// docker_container.memory_swap: Docker sets MemorySwap to twice `memory`
	// when it is not given, and upstream reads that value back into an
	// attribute that is Optional but not Computed, so every preview after a
	// create with `memory` proposes to remove it again (upstream has the same
	// perpetual diff). Computed keeps the value read from Docker.
	if r := p.ResourcesMap["docker_container"]; r != nil {
		if s := r.Schema["memory_swap"]; s != nil {
			s.Computed = true
		}
	}
	// Durations (healthcheck interval/timeout/start_period, stop_grace_period,
	// restart/update/rollback/converge delay, window, monitor, timeout) are
	// read back from Docker in Go's format ("1m0s", or "1m" for services), so
	// "60s" in a program would differ from state on every preview, and for a
	// container's healthcheck (ForceNew) replace the container each time.
	// Compare them as durations.
	for _, name := range []string{"docker_container", "docker_service"} {
		if r := p.ResourcesMap[name]; r != nil {
			suppressDurationDiffs(r.Schema)
		}
	}
	return p
}

var durationFields = map[string]bool{
	"interval": true, "timeout": true, "start_period": true, "start_interval": true,
	"stop_grace_period": true, "delay": true, "window": true, "monitor": true,
}

func suppressDurationDiffs(m map[string]*schema.Schema) {
	for k, s := range m {
		if s.Type == schema.TypeString && durationFields[k] && s.DiffSuppressFunc == nil {
			s.DiffSuppressFunc = sameDuration
		}
		if r, ok := s.Elem.(*schema.Resource); ok {
			suppressDurationDiffs(r.Schema)
		}
	}
}

func sameDuration(_, old, new string, _ *schema.ResourceData) bool {
	a, errA := time.ParseDuration(old)
	b, errB := time.ParseDuration(new)
	return errA == nil && errB == nil && a == b
}

func providerInfo() tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(upstream()),
		Name:    pkg,
		Version: version,
		// Bridge metadata normally comes from a tfgen run; nothing reads it
		// here beyond the (empty) auto-aliasing history.
		MetadataInfo: tfbridge.NewProviderMetadata([]byte("{}")),
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {Default: &tfbridge.DefaultInfo{
				EnvVars: []string{"DOCKER_HOST"},
				ComputeDefault: func(context.Context, tfbridge.ComputeDefaultOptions) (any, error) {
					if runtime.GOOS == "windows" {
						return "npipe:////./pipe/docker_engine", nil
					}
					return "unix:///var/run/docker.sock", nil
				},
			}},
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		// Tokens and field names as in @pulumi/docker 5.2.0. The bridge's
		// automatic names (camelCase, lists pluralised: env -> envs, upload ->
		// uploads, entrypoint -> entrypoints) already match the SDK except for
		// the fields named below.
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config": {Tok: tfbridge.MakeResource(pkg, "index", "ServiceConfig")},
			"docker_container": {
				Tok:                 tfbridge.MakeResource(pkg, "index", "Container"),
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					"command":           {Name: "command"},          // one command, not plural
					"networks_advanced": {Name: "networksAdvanced"}, // not plural
				},
			},
			"docker_image": {
				Tok:    tfbridge.MakeResource(pkg, "index", "RemoteImage"),
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
			"docker_network":        {Tok: tfbridge.MakeResource(pkg, "index", "Network")},
			"docker_secret":         {Tok: tfbridge.MakeResource(pkg, "index", "Secret")},
			"docker_service":        {Tok: tfbridge.MakeResource(pkg, "index", "Service")},
			"docker_volume":         {Tok: tfbridge.MakeResource(pkg, "index", "Volume")},
			"docker_registry_image": {Tok: tfbridge.MakeResource(pkg, "index", "RegistryImage")},
			"docker_plugin":         {Tok: tfbridge.MakeResource(pkg, "index", "Plugin")},
			"docker_tag":            {Tok: tfbridge.MakeResource(pkg, "index", "Tag")},
			"docker_buildx_builder": {Tok: tfbridge.MakeResource(pkg, "index", "BuildxBuilder")},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_network":                  {Tok: tfbridge.MakeDataSource(pkg, "index", "getNetwork")},
			"docker_registry_image":           {Tok: tfbridge.MakeDataSource(pkg, "index", "getRegistryImage")},
			"docker_registry_image_manifests": {Tok: tfbridge.MakeDataSource(pkg, "index", "getRegistryImageManifests")},
			"docker_plugin":                   {Tok: tfbridge.MakeDataSource(pkg, "index", "getPlugin")},
			"docker_image":                    {Tok: tfbridge.MakeDataSource(pkg, "index", "getRemoteImage")},
			"docker_logs":                     {Tok: tfbridge.MakeDataSource(pkg, "index", "getLogs")},
		},
	}
	// Anything upstream adds later gets the standard token in "index".
	info.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard(pkg)))
	// As pulumi-docker: a resource's "name" defaults to <pulumi name>-<random>.
	info.SetAutonaming(255, "-")
	return info
}

// packageSchema generates the package schema (once) from providerInfo; docs are
// skipped, so nothing is read from disk or the network.
var packageSchema = sync.OnceValues(func() ([]byte, error) {
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	g, err := tfgen.NewGenerator(tfgen.GeneratorOptions{
		Package:      pkg,
		Version:      version,
		Language:     tfgen.Schema,
		ProviderInfo: providerInfo(),
		Root:         afero.NewMemMapFs(),
		Sink:         sink,
		SkipDocs:     true,
		SkipExamples: true,
	})
	if err != nil {
		return nil, err
	}
	res, err := g.Generate(context.Background())
	if err != nil {
		return nil, err
	}
	spec := res.PackageSpec
	spec.Version = version
	return json.Marshal(spec)
})

// server serves the bridged provider and answers GetSchema with the
// generated schema.
type server struct {
	pulumirpc.ResourceProviderServer
}

func (s server) GetSchema(ctx context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	b, err := packageSchema()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(b)}, nil
}

func main() {
	ctx := context.Background()
	info := providerInfo()
	// The flags of tfbridge.Main: -get-provider-info, -version.
	for _, a := range os.Args[1:] {
		switch a {
		case "-version", "--version":
			fmt.Println(version)
			return
		case "-get-provider-info", "--get-provider-info":
			if err := json.NewEncoder(os.Stdout).Encode(tfbridge.MarshalProviderInfo(&info)); err != nil {
				cmdutil.ExitError(err.Error())
			}
			return
		case "-schema", "--schema": // the generated schema, for inspection
			b, err := packageSchema()
			if err != nil {
				cmdutil.ExitError(err.Error())
			}
			_, _ = os.Stdout.Write(append(b, '\n'))
			return
		}
	}
	info.P.InitLogging(ctx)
	err := provider.Main(pkg, func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		// No schema here: the bridge only uses it for optional type checks.
		return server{tfbridge.NewProvider(ctx, host, pkg, version, info.P, info, nil)}, nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}
