// Lotse web chat page: gets a Direct Line token from the server, starts or resumes the
// conversation (its id and the resume credential live in sessionStorage, so a reload or an expired
// token continues the same chat), and renders Microsoft's Web Chat in German or English.
const STORAGE_KEY = 'lotse.webchat';
const TEXTS = {
  de: {
    title: 'Lotse – Ihr digitaler Behördenlotse',
    skip: 'Zum Chat springen',
    languageHint: 'Sprache der Seite wechseln',
    intro:
      'Stellen Sie Ihre Frage zu Dienstleistungen der Stadtverwaltung in eigenen Worten. Lotse antwortet aus dem offiziellen Leistungskatalog und nennt immer die Quelle.',
    privacy:
      'Bitte geben Sie im Chat keine Gesundheitsdaten oder Passwörter ein. Der Gesprächsverlauf bleibt nur in diesem Browser-Tab erhalten.',
    chatHeading: 'Chat mit Lotse',
    footer: 'Persönliche Auskunft: Behördennummer 115. Daten: Landeshauptstadt München (EUPL-1.2).',
    switchTo: 'English',
    switchLang: 'en',
    connecting: 'Verbindung wird hergestellt …',
    failed:
      'Der Chat ist gerade nicht erreichbar. Bitte laden Sie die Seite später neu oder rufen Sie die 115 an.',
    placeholder: 'Ihre Frage an Lotse',
    locale: 'de-DE',
  },
  en: {
    title: 'Lotse – your digital guide to the city administration',
    skip: 'Skip to the chat',
    languageHint: 'Change the language of the page',
    intro:
      'Ask about the services of the city administration in your own words. Lotse answers from the official service catalogue and always names the source.',
    privacy:
      'Please do not enter health data or passwords in the chat. The conversation is kept only in this browser tab.',
    chatHeading: 'Chat with Lotse',
    footer:
      'Personal advice: public service number 115. Data: Landeshauptstadt München (EUPL-1.2).',
    switchTo: 'Deutsch',
    switchLang: 'de',
    connecting: 'Connecting …',
    failed: 'The chat is not available right now. Please reload the page later or call 115.',
    placeholder: 'Your question for Lotse',
    locale: 'en-GB',
  },
};

const saved = () => {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) || '{}');
  } catch {
    return {};
  }
};
const save = (patch) =>
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...saved(), ...patch }));

let language = saved().language === 'en' ? 'en' : 'de';
let directLine;

async function fetchToken() {
  const { conversationId, resume } = saved();
  const response = await fetch('/api/webchat/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(conversationId && resume ? { conversationId, resume } : {}),
  });
  if (response.status === 403 || response.status === 404) {
    // The conversation is gone or the credential is no longer valid: start a new one.
    sessionStorage.removeItem(STORAGE_KEY);
    save({ language });
    return fetchToken();
  }
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  const body = await response.json();
  save({ conversationId: body.conversationId, resume: body.resume, userId: body.userId });
  return body;
}

function applyTexts() {
  const t = TEXTS[language];
  document.documentElement.lang = language;
  document.title = t.title;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t[el.dataset.i18n];
  const button = document.getElementById('language-switch');
  button.textContent = t.switchTo;
  button.lang = t.switchLang;
}

function render() {
  const t = TEXTS[language];
  window.WebChat.renderWebChat(
    {
      directLine,
      locale: t.locale,
      userID: saved().userId,
      styleOptions: {
        accent: '#004b87',
        hideUploadButton: false,
        sendBoxTextWrap: true,
        suggestedActionLayout: 'flow',
      },
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: t.placeholder },
    },
    document.getElementById('webchat'),
  );
}

// Direct Line connection states (botframework-directlinejs ConnectionStatus).
const EXPIRED_TOKEN = 3;
const FAILED_TO_CONNECT = 4;

async function connect() {
  const { token, conversationId } = await fetchToken();
  directLine = window.WebChat.createDirectLine({
    domain: `${location.origin}/v3/directline`,
    token,
    conversationId,
    webSocket: true,
  });
  directLine.connectionStatus$.subscribe((state) => {
    // A token that expired while the tab slept: fetch one for the same conversation and go on.
    if (state === EXPIRED_TOKEN) connect().then(render, showFailure);
    if (state === FAILED_TO_CONNECT) showFailure();
  });
}

function showFailure() {
  document.getElementById('status').textContent = TEXTS[language].failed;
}

async function start() {
  const status = document.getElementById('status');
  status.textContent = TEXTS[language].connecting;
  try {
    await connect();
    render();
    status.textContent = '';
  } catch {
    showFailure();
  }
}

document.getElementById('language-switch').addEventListener('click', () => {
  language = language === 'de' ? 'en' : 'de';
  save({ language });
  applyTexts();
  if (directLine) render();
});

applyTexts();
start();
