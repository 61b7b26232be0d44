import { describe, expect, it } from 'vitest';
import { detectFacet } from '../../../knowledge/answers/facet.js';

describe('detectFacet', () => {
  it.each([
    ['Was kostet ein Personalausweis?', 'fees'],
    ['Wie viel muss ich für den Reisepass bezahlen?', 'fees'],
    ['How much is a passport?', 'fees'],
    ['Was brauche ich für die Anmeldung?', 'documents'],
    ['Welche Unterlagen muss ich mitbringen?', 'documents'],
    ['What documents do I need?', 'documents'],
    ['Wo kann ich mein Auto abmelden?', 'locations'],
    ['Where is the office?', 'locations'],
    ['Kann ich das online machen?', 'online'],
    ['Wie buche ich einen Termin?', 'online'],
    ['Wie lange dauert ein Reisepass?', 'duration'],
    ['How long does it take?', 'duration'],
    ['Personalausweis beantragen', 'general'],
  ])('%s → %s', (question, facet) => {
    expect(detectFacet(question)).toBe(facet);
  });
});
