/**
 * Categories of defects in public space, written for Lotse and modelled on Open311 GeoReport v2
 * service definitions (`service_code`, `service_name`, `group`, `description`, `keywords`), so a
 * Mängelmeldung maps directly onto an Open311 `POST requests`. Cities replace this list with the
 * service list of their own Open311 endpoint.
 */
import type { Texts } from '../engine/definition.js';

export interface DefectCategory {
  /** Open311 `service_code`. */
  code: string;
  name: Texts;
  group: Texts;
  /** Words citizens use for it (lower case), for matching free text. */
  keywords: readonly string[];
}

export const DEFECT_CATEGORIES: readonly DefectCategory[] = [
  {
    code: 'street-light',
    name: { de: 'Straßenbeleuchtung defekt', en: 'Street light out' },
    group: { de: 'Straße und Verkehr', en: 'Streets and traffic' },
    keywords: ['laterne', 'licht', 'beleuchtung', 'lampe', 'street light', 'lamp'],
  },
  {
    code: 'road-damage',
    name: { de: 'Schlagloch oder Straßenschaden', en: 'Pothole or road damage' },
    group: { de: 'Straße und Verkehr', en: 'Streets and traffic' },
    keywords: ['schlagloch', 'loch', 'straßenschaden', 'fahrbahn', 'asphalt', 'pothole'],
  },
  {
    code: 'pavement',
    name: { de: 'Gehweg oder Radweg beschädigt', en: 'Damaged pavement or cycle path' },
    group: { de: 'Straße und Verkehr', en: 'Streets and traffic' },
    keywords: ['gehweg', 'radweg', 'bürgersteig', 'pflaster', 'stolper', 'pavement', 'sidewalk'],
  },
  {
    code: 'traffic-signal',
    name: { de: 'Ampel gestört', en: 'Traffic light fault' },
    group: { de: 'Straße und Verkehr', en: 'Streets and traffic' },
    keywords: ['ampel', 'lichtsignal', 'traffic light'],
  },
  {
    code: 'traffic-sign',
    name: { de: 'Verkehrszeichen beschädigt oder fehlt', en: 'Traffic sign damaged or missing' },
    group: { de: 'Straße und Verkehr', en: 'Streets and traffic' },
    keywords: ['schild', 'verkehrszeichen', 'sign'],
  },
  {
    code: 'illegal-dumping',
    name: { de: 'Illegale Müllablagerung', en: 'Illegal dumping' },
    group: { de: 'Sauberkeit', en: 'Cleanliness' },
    keywords: ['müll', 'sperrmüll', 'abfall', 'ablagerung', 'dumping', 'rubbish', 'trash'],
  },
  {
    code: 'litter-bin',
    name: { de: 'Papierkorb voll oder defekt', en: 'Litter bin full or broken' },
    group: { de: 'Sauberkeit', en: 'Cleanliness' },
    keywords: ['papierkorb', 'mülleimer', 'abfalleimer', 'bin'],
  },
  {
    code: 'graffiti',
    name: { de: 'Graffiti oder Schmiererei', en: 'Graffiti' },
    group: { de: 'Sauberkeit', en: 'Cleanliness' },
    keywords: ['graffiti', 'schmiererei', 'sprayer'],
  },
  {
    code: 'drain',
    name: { de: 'Gully oder Abfluss verstopft', en: 'Blocked drain' },
    group: { de: 'Wasser', en: 'Water' },
    keywords: ['gully', 'abfluss', 'kanal', 'überschwemm', 'drain'],
  },
  {
    code: 'tree',
    name: { de: 'Baum oder Grünfläche', en: 'Tree or green space' },
    group: { de: 'Grün', en: 'Green spaces' },
    keywords: ['baum', 'ast', 'grünfläche', 'hecke', 'rasen', 'tree', 'branch'],
  },
  {
    code: 'playground',
    name: { de: 'Spielplatz beschädigt', en: 'Damaged playground' },
    group: { de: 'Grün', en: 'Green spaces' },
    keywords: ['spielplatz', 'spielgerät', 'schaukel', 'rutsche', 'playground'],
  },
  {
    code: 'other',
    name: { de: 'Sonstiges', en: 'Other' },
    group: { de: 'Sonstiges', en: 'Other' },
    keywords: ['sonstiges', 'anderes', 'other'],
  },
];
