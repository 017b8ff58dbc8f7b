/** Names that say "this holds a credential". */

/** Environment variable names (MARIADB_ROOT_PASSWORD, API_TOKEN, ...); `*_FILE` ones hold a path, not the secret. */
export function isCredentialEnvName(name: string): boolean {
  if (/_FILE$/i.test(name) || name === "PWD" || name === "OLDPWD") return false;
  return /(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)/i.test(name);
}

/** Kafka Connect config keys (database.password, ssl.keystore.password, sasl.jaas.config, ...). */
export function isCredentialConfigKey(key: string): boolean {
  return /(password|passwd|secret|token|credentials|api\.key|sasl\.jaas\.config|basic\.auth\.user\.info)$/i.test(key);
}

/** A Kafka Connect config provider reference (`${file:/path:key}`, `${env:NAME}`): resolved by the worker, not a secret. */
export const isConfigProviderReference = (value: string): boolean => /^\$\{[a-zA-Z][\w-]*:[^}]*\}$/.test(value.trim());
