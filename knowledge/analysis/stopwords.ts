/**
 * Stop words for German and English queries. Deliberately small: general-purpose lists
 * (stopwords-iso) drop words that carry a citizen's intent — "nicht", "kein", "ohne", "wann",
 * "wie viel", "wo", "online" — so those are kept here on purpose and are read by facet detection.
 */
const GERMAN = `aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
auch auf aus bei beim bin bis bist da damit dann das dass dasselbe dazu dein deine deinem deinen deiner
dem den denn der des dessen deshalb die dies diese diesem diesen dieser dieses doch dort du durch ein eine
einem einen einer eines einige einigem einigen einiger einiges einmal er es etwas euch euer eure eurem euren
eurer für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem
ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann
können könnte machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines mich
mir mit muss musste nach nun nur ob oder sehr sein seine seinem seinen seiner seines selbst sich sie sind so
solche solchem solchen solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren unser
unseres unter viel vom von vor war waren warst was weil weiter welche welchem welchen welcher welches wenn
werde werden will wir wird wirst mit zu zum zur zwar zwischen bitte gerne gern mal eigentlich ja hallo
möchte möchten würde würden brauche brauchen bekomme bekommen benötige kriege tun mache
dafür dazu davon darum darüber hierfür hier`;

const ENGLISH = `a an the and or of to in on at for from by with is are was were be been being i me my we our
you your he she it its they them their this that these those do does did have has had can could would should
will shall may might must please hi hello want get need what which who why there`;

/** Normalised stop words (German and English). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `${GERMAN} ${ENGLISH}`
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase().replace(/ß/g, 'ss')),
);

/** Words that look like stop words but carry intent; never removed. Exported for tests. */
export const INTENT_WORDS: ReadonlySet<string> = new Set([
  'nicht',
  'kein',
  'keine',
  'keinen',
  'ohne',
  'wann',
  'wie',
  'viel',
  'wieviel',
  'wo',
  'wohin',
  'woher',
  'not',
  'no',
  'without',
  'when',
  'where',
  'how',
  'much',
]);

/** True when a normalised token should be dropped from index and query. */
export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token) && !INTENT_WORDS.has(token);
}
