import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies/all";

// The pack as `pulumi preview --policy-pack policy` loads it; the policies themselves live in policies/.
new PolicyPack("bigdata-platform", { policies });
