import * as pulumi from "@pulumi/pulumi";
import type { WorkloadSpec } from "../../../model/workload";
import { entrypointAndCommand, environment, environmentList } from "../../../targets/docker-common/conversions";

const base: WorkloadSpec = { name: "db", component: "mariadb", image: "mariadb:11.4.8" };
const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply((v) => r(v)));

describe("docker conversions", () => {
  test("environment with a secret value is a secret as a whole", async () => {
    const env = environment({ ...base, env: { A: "1" }, secretEnv: { PASSWORD: pulumi.secret("s3cret-value!") } });
    expect(await pulumi.isSecret(env)).toBe(true);
    expect(await resolve(environmentList({ ...base, env: { B: "2", A: "1" }, secretEnv: { P: "x" } }))).toEqual(["A=1", "B=2", "P=x"]);
  });

  test("environment without secrets stays reviewable in diffs", async () => {
    expect(await pulumi.isSecret(environment({ ...base, env: { A: "1" } }))).toBe(false);
  });

  test("a command override sets entrypoint and command together, so the image's default command is not appended", () => {
    expect(entrypointAndCommand({ ...base, command: ["sh", "-c", "exec x"] })).toEqual({ entrypoint: ["sh"], command: ["-c", "exec x"] });
    expect(entrypointAndCommand({ ...base, args: ["--log-bin=x"] })).toEqual({ command: ["--log-bin=x"] });
    expect(entrypointAndCommand(base)).toEqual({ command: undefined });
    expect(() => entrypointAndCommand({ ...base, command: ["sh"] })).toThrow(
      "workload db: command needs a program and at least one argument",
    );
  });
});
