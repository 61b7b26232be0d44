/**
 * A stand-in for the Bot Framework's token issuer: an OpenID configuration and a JWKS endpoint on
 * 127.0.0.1, and RS256 tokens signed with a key generated per test run. botbuilder fetches
 * `{metadataUrl}` then its `jwks_uri`, finds the key by `kid`, checks the key's `endorsements`
 * against the activity's channelId and verifies the token with jsonwebtoken.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface TokenIssuer {
  /** Pass as `openIdMetadataUrl`. */
  metadataUrl: string;
  /** The kid under which the public key is published. */
  kid: string;
  /** Signs `claims` with the published key, or with `privateKey` under `kid` to forge one. */
  sign(claims: Record<string, unknown>, forge?: { privateKey?: KeyObject; kid?: string }): string;
  close(): Promise<void>;
}

/** A fresh 2048-bit RSA key (jsonwebtoken refuses shorter RSA keys). */
export function newRsaKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds a compact RS256 JWT with node:crypto alone. */
export function signJwt(
  claims: Record<string, unknown>,
  privateKey: KeyObject,
  kid: string,
): string {
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url(claims)}`;
  const signature = sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/** The claims a Bot Framework channel token carries, valid for an hour from `now`. */
export function channelClaims(
  appId: string,
  serviceUrl: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, unknown> {
  return {
    iss: CHANNEL_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    iat: nowSeconds - 60,
    nbf: nowSeconds - 60,
    exp: nowSeconds + 3600,
  };
}

/** Starts the issuer; its key endorses the given channel ids (as Microsoft's keys do). */
export async function startTokenIssuer(endorsements: string[]): Promise<TokenIssuer> {
  const { privateKey, publicKey } = newRsaKey();
  const kid = 'lotse-test-key';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', endorsements };
  let base = '';
  const server = createServer((req, res) => {
    const body =
      req.url === '/v1/.well-known/openidconfiguration'
        ? {
            issuer: CHANNEL_ISSUER,
            jwks_uri: `${base}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }
        : req.url === '/v1/.well-known/keys'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    kid,
    sign: (claims, forge) => signJwt(claims, forge?.privateKey ?? privateKey, forge?.kid ?? kid),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
