import { describe, expect, it } from 'vitest';
import { AuthenticationConstants } from 'botframework-connector';
import { toBotbuilderConfiguration } from '../../../channels/bot-framework/authentication.js';
import {
  BotFrameworkOptionsError,
  DEFAULT_MAX_BODY_BYTES,
  parseBotFrameworkOptions,
} from '../../../channels/bot-framework/options.js';

const bot = async (): Promise<void> => undefined;

describe('Bot Framework plugin options', () => {
  it('default to no authentication and a 256 KiB body limit', () => {
    const settings = parseBotFrameworkOptions({ bot });
    expect(settings.appId).toBeUndefined();
    expect(settings.maxBodyBytes).toBe(DEFAULT_MAX_BODY_BYTES);
  });

  it('refuse an empty app id instead of silently switching authentication off', () => {
    expect(() => parseBotFrameworkOptions({ bot, appId: '  ' })).toThrow(
      /appId must not be empty; leave it unset/,
    );
  });

  it('refuse a password without an app id', () => {
    expect(() => parseBotFrameworkOptions({ bot, appPassword: 'secret' })).toThrow(
      BotFrameworkOptionsError,
    );
    expect(() => parseBotFrameworkOptions({ bot, appPassword: 'secret' })).toThrow(
      /appId is required when appPassword/,
    );
  });

  it('require a tenant for single-tenant and managed-identity apps', () => {
    for (const appType of ['SingleTenant', 'UserAssignedMSI'] as const) {
      expect(() => parseBotFrameworkOptions({ bot, appId: 'a', appType })).toThrow(
        `appTenantId is required for ${appType}`,
      );
    }
  });

  it('refuse an OpenID metadata URL that is not http(s)', () => {
    expect(() =>
      parseBotFrameworkOptions({ bot, appId: 'a', openIdMetadataUrl: 'ftp://x.example/' }),
    ).toThrow(/openIdMetadataUrl expected an http\(s\) URL/);
  });

  it('refuse a missing bot', () => {
    expect(() => parseBotFrameworkOptions({} as never)).toThrow(/bot must be a function/);
  });
});

describe('the botbuilder configuration built from the options', () => {
  it('passes only the app settings when the public cloud defaults apply', () => {
    expect(toBotbuilderConfiguration({ appId: 'a', appPassword: 'p' })).toEqual({
      MicrosoftAppId: 'a',
      MicrosoftAppPassword: 'p',
      MicrosoftAppTenantId: undefined,
      MicrosoftAppType: undefined,
    });
  });

  it('keeps the public-cloud issuer and endpoints when the OpenID URL is overridden', () => {
    const config = toBotbuilderConfiguration({ appId: 'a', openIdMetadataUrl: 'http://k/' });
    expect(config).toMatchObject({
      ToBotFromChannelOpenIdMetadataUrl: 'http://k/',
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromEmulatorOpenIdMetadataUrl:
        AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
    });
  });
});
