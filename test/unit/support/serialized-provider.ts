import { createRequire } from "node:module";
import * as vm from "node:vm";
import * as pulumi from "@pulumi/pulumi";

/** What pulumi.dynamic.Resource does with its provider (serializeFunctionMaybeSecret in @pulumi/pulumi/dynamic). */
export function serializeLikeTheSdk(provider: pulumi.dynamic.ResourceProvider) {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

/** What pulumi-resource-pulumi-nodejs does with the serialized text: require it as a module and call handler(). */
export function loadLikeTheProviderHost(text: string): pulumi.dynamic.ResourceProvider {
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {\n${text}\n})`) as (
    e: unknown,
    r: NodeRequire,
    m: unknown,
    f: string,
    d: string,
  ) => void;
  wrapper(module.exports, createRequire(__filename), module, __filename, __dirname);
  return (module.exports.handler as () => pulumi.dynamic.ResourceProvider)();
}
