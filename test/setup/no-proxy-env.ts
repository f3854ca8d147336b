// Every test file starts with no proxy variables: the default transport reads them, so a developer's or CI's
// HTTPS_PROXY would otherwise route loopback calls through axios (and a test's label would lie about it).
// The bench clears them the same way, for the same reason.

/** Deletes HTTP(S)_PROXY, ALL_PROXY, NO_PROXY (any case) and npm's proxy settings from process.env. */
export function clearProxyEnv(): void {
  for (const name of Object.keys(process.env)) {
    if (/^(https?|all|no)_proxy$/i.test(name) || /^npm_config_(https_|no_)?proxy$/i.test(name)) delete process.env[name];
  }
}

clearProxyEnv();
