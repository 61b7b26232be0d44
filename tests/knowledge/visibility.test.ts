import { describe, expect, it } from 'vitest';
import { isCitizenFacing } from '../../knowledge/visibility.js';

const bare = {
  description: { text: '', markdown: '' },
  keywords: [],
  forms: [],
  links: [],
};

describe('isCitizenFacing', () => {
  it('hides an entry with no description, keywords, fees, forms or links', () => {
    expect(isCitizenFacing(bare)).toBe(false);
  });

  it('hides an entry whose description and fee text are only whitespace', () => {
    expect(
      isCitizenFacing({
        ...bare,
        description: { text: ' \n ', markdown: '' },
        fees: { text: '  ', markdown: '' },
      }),
    ).toBe(false);
  });

  it('shows an entry with a description', () => {
    expect(isCitizenFacing({ ...bare, description: { text: 'Text.', markdown: 'Text.' } })).toBe(
      true,
    );
  });

  it('shows an entry with keywords only', () => {
    expect(isCitizenFacing({ ...bare, keywords: ['Perso'] })).toBe(true);
  });

  it('shows an entry with a fee text only', () => {
    expect(isCitizenFacing({ ...bare, fees: { text: '37 €', markdown: '37 €' } })).toBe(true);
  });

  it('shows an entry with a form only', () => {
    expect(isCitizenFacing({ ...bare, forms: [{ title: 'Antrag', url: 'https://a.de/' }] })).toBe(
      true,
    );
  });

  it('shows an entry with a link only', () => {
    expect(isCitizenFacing({ ...bare, links: [{ title: 'Info', url: 'https://a.de/' }] })).toBe(
      true,
    );
  });
});
