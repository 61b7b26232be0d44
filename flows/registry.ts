/**
 * The flows Lotse offers, how a request opens one, and the texts for every error code their
 * fields can return. The bot asks the registry; flows stay plain data.
 */
import type { FlowDefinition, Texts } from './engine/definition.js';
import { createBewohnerparkausweis } from './definitions/bewohnerparkausweis.js';
import { FIELD_ERROR_TEXTS } from './definitions/fields.js';
import { kindergeld } from './definitions/kindergeld.js';
import { maengelmeldung } from './definitions/maengelmeldung.js';
import { wohnsitzanmeldung } from './definitions/wohnsitzanmeldung.js';
import { PARSE_ERROR_TEXTS } from './parsers/texts.js';

const FLOW_ERROR_TEXTS: Readonly<Record<string, Texts>> = {
  ...FIELD_ERROR_TEXTS,
  'photo.missing': {
    de: 'Ich habe kein Foto erhalten. Senden Sie ein Bild oder überspringen Sie den Schritt.',
    en: 'I did not receive a photo. Send a picture or skip this step.',
  },
  'photo.type': {
    de: 'Bitte senden Sie ein Foto im Format JPEG oder PNG.',
    en: 'Please send a JPEG or PNG photo.',
  },
  'move-in.future': {
    de: 'Das Einzugsdatum liegt in der Zukunft. Anmelden können Sie sich ab dem Tag des Einzugs.',
    en: 'The move-in date is in the future. You can register from the day you move in.',
  },
  'number.invalid': {
    de: 'Bitte nennen Sie eine Zahl, zum Beispiel 0, 1 oder 2.',
    en: 'Please give a number, for example 0, 1 or 2.',
  },
  schema: {
    de: 'Diese Angabe passt nicht zum Antrag. Bitte prüfen Sie sie.',
    en: 'This answer does not fit the application. Please check it.',
  },
};

/** What the registry needs from the catalogue: fees are quoted, never made up. */
export interface FlowCatalogueFacts {
  /** The fee text of the Bewohnerparkausweis service. */
  parkingPermitFees?: string;
}

/** The set of flows, with lookups. */
export class FlowRegistry {
  readonly flows: readonly FlowDefinition[];

  constructor(facts: FlowCatalogueFacts = {}) {
    this.flows = [
      maengelmeldung,
      createBewohnerparkausweis(facts.parkingPermitFees),
      wohnsitzanmeldung,
      kindergeld,
    ];
  }

  get(id: string): FlowDefinition | undefined {
    return this.flows.find((f) => f.id === id);
  }

  /** The flow applying for a catalogue service, to offer after an answer about it. */
  forService(serviceId: string): FlowDefinition | undefined {
    return this.flows.find((f) => f.serviceId === serviceId);
  }

  /**
   * The flow a message asks to start ("Ich möchte einen Bewohnerparkausweis beantragen"): a
   * trigger phrase together with a wish to apply or report.
   */
  requested(text: string): FlowDefinition | undefined {
    const t = text.toLowerCase();
    const wish =
      /\b(beantrag|antrag|anmeld|ummeld|melden|möchte|moechte|will|apply|register|report|start)/;
    // Questions about a service ("Was brauche ich für …?") are answered, not turned into a flow.
    if (/^(was|wie|wo|wann|welche[rsmn]?|warum|what|how|where|when|which|why)\b/.test(t))
      return undefined;
    // The wish must stand beside the name ("Wohnsitzanmeldung" alone asks about it).
    return this.flows.find((f) =>
      f.triggers.some(
        (r) => r.test(t) && (wish.test(t.replace(r, ' ')) || f.id === 'maengelmeldung'),
      ),
    );
  }

  /** Text for a field error code, from the parsers' table or the flows' own. */
  errorText(code: string): Texts | undefined {
    return (PARSE_ERROR_TEXTS as Readonly<Record<string, Texts>>)[code] ?? FLOW_ERROR_TEXTS[code];
  }
}
