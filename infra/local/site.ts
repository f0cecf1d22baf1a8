// The filing site as the local runtime serves it: the one site build (infra/site-build.ts) with
// the staff console signing in against the runtime's own provider. `npm run build:site` runs it.
import { buildSite, type SiteBuildOptions } from '../site-build.ts';
import { LOCAL_CONSOLE_CLIENT, OIDC_PATH } from './oidc.ts';
import { LOCAL_ISSUER } from './staff-auth.ts';

/**
 * The local provider's issuer is not a reachable address, so the console reads the discovery
 * document from the runtime's /_oidc (infra/local/oidc.ts).
 */
export const LOCAL_SIGN_IN = {
  issuer: LOCAL_ISSUER,
  clientId: LOCAL_CONSOLE_CLIENT,
  metadataBase: OIDC_PATH,
};

export function buildLocalSite(options: Omit<SiteBuildOptions, 'oidc'> = {}): Promise<string> {
  return buildSite({ ...options, oidc: LOCAL_SIGN_IN });
}

if (import.meta.main) {
  console.log(`site built in ${await buildLocalSite()}`);
}
