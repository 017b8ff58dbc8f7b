import { Platform } from "../../../components/platform";
import { targetFor } from "../../../targets/registry";
import { captureResources, type CapturedResource } from "../support/capture";
import { loadConfig, stackFileSource } from "../support/stack-config";
import { readJobSources } from "../../../components/benchmark-job";
import { readNotebookFiles } from "../../../components/notebook";

export const testDdl = "CREATE TABLE IF NOT EXISTS `{{table}}` (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY);";

/**
 * Declares the platform of a committed stack file under mocks and returns what it would create; `set` is merged
 * into its config first, as `pulumi config set --path` would.
 */
export async function buildStack(stack: string, set: Record<string, unknown> = {}): Promise<CapturedResource[]> {
  return captureResources((transformations) => {
    const config = loadConfig(stackFileSource(stack, set));
    new Platform(
      config.namePrefix,
      { config, target: targetFor(config), tableDdlTemplate: testDdl, jobSources: readJobSources(), notebookFiles: readNotebookFiles() },
      { transformations },
    );
  });
}

export const types = {
  container: "docker:index/container:Container",
  service: "docker:index/service:Service",
  volume: "docker:index/volume:Volume",
  network: "docker:index/network:Network",
  serviceConfig: "docker:index/serviceConfig:ServiceConfig",
  connector: "pulumi-nodejs:dynamic/kafka-connect:Connector",
  password: "random:index/randomPassword:RandomPassword",
  namespace: "kubernetes:core/v1:Namespace",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  deployment: "kubernetes:apps/v1:Deployment",
  k8sService: "kubernetes:core/v1:Service",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
} as const;

/** The text of an uploaded file of a docker container. */
export function upload(container: CapturedResource, path: string): string {
  const uploads = container.inputs.uploads as { file: string; content: string }[];
  const found = uploads.find((u) => u.file === path);
  if (!found) throw new Error(`${container.name} has no upload ${path}`);
  return found.content;
}

export function envOf(container: CapturedResource): Record<string, string> {
  return Object.fromEntries((container.inputs.envs as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}
