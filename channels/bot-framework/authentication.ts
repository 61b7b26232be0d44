/**
 * Authentication of inbound Bot Framework requests, built on botbuilder's own validation
 * (`ConfigurationBotFrameworkAuthentication`: issuer, audience = app id, `serviceurl` claim,
 * signing keys and their channel endorsements from the OpenID metadata).
 *
 * We authenticate *before* handing the request to `CloudAdapter.process`, because the adapter
 * folds every failure into a status and a message: a token signed by a key we do not trust comes
 * back as a 500 with jsonwebtoken's message, an unreachable key endpoint as a 401. Doing it here
 * lets us answer 401 and 503 correctly; the adapter then reuses the result instead of validating
 * the token a second time.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { AuthenticationConstants, type AuthenticateRequestResult } from 'botframework-connector';

/** The Azure Bot settings, as the plugin receives them from the config. */
export interface BotFrameworkCredentials {
  appId?: string;
  appPassword?: string;
  appTenantId?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  openIdMetadataUrl?: string;
}

const preAuthenticated = new AsyncLocalStorage<AuthenticateRequestResult>();

/**
 * botbuilder's configuration-based authentication that, inside {@link runAuthenticated}, answers
 * with the result the endpoint already obtained for this request. Outside of it (proactive
 * messages, other callers) it validates as usual.
 */
export class PreAuthenticatedBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const known = preAuthenticated.getStore();
    return known ? Promise.resolve(known) : super.authenticateRequest(activity, authHeader);
  }

  /** Runs `work` (one `adapter.process` call) with `result` as this request's authentication. */
  runAuthenticated<T>(result: AuthenticateRequestResult, work: () => T): T {
    return preAuthenticated.run(result, work);
  }
}

/**
 * Maps our settings to botbuilder's configuration keys. Overriding the channel's OpenID metadata
 * URL switches botbuilder to its "parameterized" mode, where every unset endpoint stays unset (and
 * the token issuer check then rejects everything), so the other public-cloud endpoints are filled
 * in explicitly.
 */
export function toBotbuilderConfiguration(
  credentials: BotFrameworkCredentials,
): ConfigurationBotFrameworkAuthenticationOptions {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppTenantId: credentials.appTenantId,
    MicrosoftAppType: credentials.appType,
  };
  if (!credentials.openIdMetadataUrl) return options;
  return {
    ...options,
    ToBotFromChannelOpenIdMetadataUrl: credentials.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}

/** Builds the authentication for the given settings; no app id means authentication is off. */
export function createBotFrameworkAuthentication(
  credentials: BotFrameworkCredentials,
): PreAuthenticatedBotFrameworkAuthentication {
  return new PreAuthenticatedBotFrameworkAuthentication(toBotbuilderConfiguration(credentials));
}
