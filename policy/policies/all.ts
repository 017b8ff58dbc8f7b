import type { ResourceValidationPolicy, StackValidationPolicy } from "../lib/api";
import { adminEndpointsBeyondTheHost, adminEndpointsNotOnAllInterfaces } from "./admin-endpoints";
import { connectorSecretsViaConfigProvider, noPlainCredentials } from "./credentials";
import { dataVolumesProtected } from "./data-volumes";
import { imagesPinned } from "./images";
import { kafkaReplication } from "./kafka-replication";
import { noPrivilegedContainers } from "./privileged";
import { livenessProbes, resourceLimits, restartAndHealthcheck } from "./workloads";

/** Every policy of the pack, in the order the README lists them. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  imagesPinned,
  adminEndpointsNotOnAllInterfaces,
  adminEndpointsBeyondTheHost,
  kafkaReplication,
  restartAndHealthcheck,
  resourceLimits,
  livenessProbes,
  noPrivilegedContainers,
  dataVolumesProtected,
  noPlainCredentials,
  connectorSecretsViaConfigProvider,
];
