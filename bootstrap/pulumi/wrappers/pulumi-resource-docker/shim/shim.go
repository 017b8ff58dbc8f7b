// Package shim returns the upstream Terraform docker provider (its SDKv2 part).
//
// This module's import path sits under the upstream module's, so Go's
// "internal" rule lets it import .../internal/provider (pulumi-docker adds the
// same one-function shim to its upstream checkout). It also holds the one
// behavioural fix that needs the provider's internals: see serviceDelete.
package shim

import (
	"context"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the upstream SDKv2 provider; version only goes into
// the User-Agent of its registry requests.
func NewProvider(version string) *schema.Provider {
	p := provider.New(version)()
	if r := p.ResourcesMap["docker_service"]; r != nil && r.DeleteContext != nil {
		r.DeleteContext = serviceDelete(r.DeleteContext)
	}
	return p
}

// serviceDelete: when a service has a stop_grace_period, upstream removes it
// and then waits for each task container with a deadline of exactly that
// period. Docker kills a task that is still running at that same moment, so
// a task that does not exit on SIGTERM (or takes the whole period) loses the
// race and the delete fails with "error on wait for container with ID ...:
// context deadline exceeded" although the service is gone. In that case wait
// a little longer for the service's containers and remove what is left,
// as upstream would have done.
func serviceDelete(del schema.DeleteContextFunc) schema.DeleteContextFunc {
	return func(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
		diags := del(ctx, d, meta)
		if !diags.HasError() || !graceTimeout(diags) {
			return diags
		}
		cfg, ok := meta.(*provider.ProviderConfig)
		if !ok {
			return diags
		}
		client, err := cfg.MakeClient(ctx, d)
		if err != nil {
			return diags
		}
		args := filters.NewArgs()
		args.Add("label", "com.docker.swarm.service.id="+d.Id())
		left, err := client.ContainerList(ctx, container.ListOptions{All: true, Filters: args})
		if err != nil {
			return diags
		}
		for _, c := range left {
			wctx, cancel := context.WithTimeout(ctx, time.Minute)
			okC, errC := client.ContainerWait(wctx, c.ID, container.WaitConditionRemoved)
			select {
			case <-okC:
			case <-errC:
			}
			cancel()
			err := client.ContainerRemove(ctx, c.ID, container.RemoveOptions{RemoveVolumes: true, Force: true})
			if err != nil && !strings.Contains(err.Error(), "No such container") &&
				!strings.Contains(err.Error(), "is already in progress") {
				return diag.FromErr(err)
			}
		}
		d.SetId("")
		return nil
	}
}

func graceTimeout(diags diag.Diagnostics) bool {
	for _, d := range diags {
		if d.Severity == diag.Error && strings.Contains(d.Summary, "error on wait for container with ID") &&
			strings.Contains(d.Summary, context.DeadlineExceeded.Error()) {
			return true
		}
	}
	return false
}
