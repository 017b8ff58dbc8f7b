import { policies } from "../../../policy/policies/all";
import { isDevStack, stackOf } from "../../../policy/lib/stack";
import { UNKNOWN, plain } from "../../../policy/lib/values";
import { UNKNOWN_STRING, unknownCheckingProxy, validateResource } from "./harness";
import { imagesPinned } from "../../../policy/policies/images";

describe("the policy pack", () => {
  test("every policy has a unique name, an enforcement level and a reason in its description", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of policies) {
      expect(["mandatory", "advisory"]).toContain(p.enforcementLevel);
      expect(p.description).toMatch(/Why: /);
    }
  });

  test("the stack name comes from the URN, and only the configured stacks are dev stacks", () => {
    expect(stackOf("urn:pulumi:k8s-local::bigdata::docker:index/volume:Volume::v")).toBe("k8s-local");
    expect(isDevStack("urn:pulumi:dev::bigdata::t::n", {})).toBe(true);
    expect(isDevStack("urn:pulumi:swarm::bigdata::t::n", {})).toBe(false);
    expect(isDevStack("urn:pulumi:sandbox::bigdata::t::n", { devStacks: ["dev", "sandbox"] })).toBe(true);
  });

  test("inputs unknown during a preview become UNKNOWN instead of failing the policy", () => {
    expect(plain(unknownCheckingProxy({ a: UNKNOWN_STRING, b: [1, { c: UNKNOWN_STRING }] }))).toEqual({
      a: UNKNOWN,
      b: [1, { c: UNKNOWN }],
    });
    // An image not known yet is not judged (the pack runs again at `pulumi up`, when it is).
    expect(
      validateResource(imagesPinned, { type: "docker:index/container:Container", name: "c", props: { image: UNKNOWN_STRING } }),
    ).toEqual([]);
  });
});
