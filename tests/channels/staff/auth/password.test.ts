import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../../../channels/staff/auth/password.js';
import { FAST_SCRYPT } from './console-app.js';

describe('staff passwords', () => {
  it('hash with OWASP scrypt parameters into a PHC string that verifies', async () => {
    const hash = await hashPassword('Korrekt-Pferd-Batterie');
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('Korrekt-Pferd-Batterie', hash)).toBe(true);
    expect(await verifyPassword('korrekt-pferd-batterie', hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('salt every hash, so one password gives different hashes', async () => {
    const a = await hashPassword('gleiches-passwort', FAST_SCRYPT);
    const b = await hashPassword('gleiches-passwort', FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(await verifyPassword('gleiches-passwort', a)).toBe(true);
    expect(await verifyPassword('gleiches-passwort', b)).toBe(true);
  });

  it('refuse a wrong password, an empty one and one differing in a single character', async () => {
    const hash = await hashPassword('Sommer-im-Rathaus-2026', FAST_SCRYPT);
    expect(await verifyPassword('Sommer-im-Rathaus-2027', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(await verifyPassword('Sommer-im-Rathaus-2026 ', hash)).toBe(false);
  });

  it('treat composed and decomposed umlauts as the same password', async () => {
    const hash = await hashPassword('Grüße aus Köln!', FAST_SCRYPT);
    expect(await verifyPassword('Gru\u0308ße aus Ko\u0308ln!', hash)).toBe(true);
  });

  it('verify nothing for an unknown user or a malformed hash, but still do the work', async () => {
    expect(await verifyPassword('anything', undefined, FAST_SCRYPT)).toBe(false);
    const malformed = [
      '',
      'plaintext',
      '$scrypt$ln=15,r=8,p=3$c2FsdA$',
      '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
      '$scrypt$ln=99,r=8,p=3$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g',
      '$scrypt$ln=15,r=8,p=3$c2Fs$aGFzaGhhc2hoYXNoaGFzaGhhc2g',
      '$scrypt$ln=15,r=8,p=3$c2FsdHNhbHRzYWx0$aGFz!',
    ];
    for (const hash of malformed) {
      expect(await verifyPassword('anything', hash, FAST_SCRYPT)).toBe(false);
      expect(needsRehash(hash)).toBe(true);
    }
  });

  it('ask for a rehash when any parameter is weaker than the current ones', async () => {
    const weak = await hashPassword('ein-passwort-mit-länge', FAST_SCRYPT);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, FAST_SCRYPT)).toBe(false);
    const lowerP = await hashPassword('ein-passwort-mit-länge', { ln: 4, r: 8, p: 1 });
    expect(needsRehash(lowerP, { ln: 4, r: 8, p: 2 })).toBe(true);
    expect(needsRehash(lowerP, { ln: 4, r: 4, p: 1 })).toBe(false);
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ ln: 15, r: 8, p: 3 });
  });
});
