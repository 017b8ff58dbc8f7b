/**
 * Docker Engine dynamic providers: a drop-in for the subset of `@pulumi/docker` 5.2.0 that targets/docker and
 * targets/swarm use (Network, Volume, Container, Service, ServiceConfig, Secret, Provider), for machines where the
 * docker provider plugin cannot be built. Switch a target with
 *
 *   import * as docker from "../../providers/docker-engine";
 *
 * See README.md in this directory for behaviour and limitations.
 */
export * from "./args";
export * from "./resources";
export * from "./types";
export * from "./duration";
export * from "./tar";
export * from "./redact";
export * from "./http-client";
export * from "./validate";
export * from "./naming";
export * from "./diff";
export * from "./convert";
export * from "./network";
export * from "./volume";
export * from "./swarm-object";
export * from "./container-check";
export * from "./container-spec";
export * from "./health-wait";
export * from "./container";
export * from "./service-check";
export * from "./service-spec";
export * from "./service-converge";
export * from "./service";
