import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type PlatformConfig, type SecretKey, secretKeys } from "../config/load";

/** The platform's passwords, each a Pulumi secret. */
export type Passwords = Readonly<Record<SecretKey, pulumi.Output<string>>>;

/** The passwords given in config as secrets; the others generated once per stack and kept in its state. */
export function platformPasswords(cfg: PlatformConfig, parent: pulumi.Resource): Passwords {
  return Object.fromEntries(
    secretKeys.map((key) => {
      const given = cfg.secrets[key];
      if (given !== undefined) return [key, pulumi.secret(given)];
      // No special characters: the value goes into SQL, shell and JDBC settings unquoted.
      return [key, new random.RandomPassword(`${cfg.namePrefix}-${key}`, { length: 24, special: false }, { parent }).result];
    }),
  ) as Record<SecretKey, pulumi.Output<string>>;
}
