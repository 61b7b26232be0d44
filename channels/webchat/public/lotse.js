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

// The running chat: one Direct Line connection and one Web Chat store per conversation. Both
// outlive token renewals and language switches, so the transcript is never rebuilt for them.
let directLine;
let store;
let conversationId;
// When the token is due for renewal (ms since the epoch), the timer for it, and the renewal under
// way, so a timer, a send and a connection error that notice the same token share one request.
let renewAt = 0;
let renewTimer;
let renewing;

// Renew when this share of a token's lifetime has passed: directlinejs itself renews only every
// 15 minutes, whatever the server's token lifetime (LOTSE_TOKEN_TTL_SECONDS) is.
const RENEW_AFTER = 0.75;
const MIN_RENEW_DELAY_MS = 1000;

async function fetchToken() {
  const { conversationId: known, resume } = saved();
  const response = await fetch('/api/webchat/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(known && resume ? { conversationId: known, resume } : {}),
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
      store,
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
const ONLINE = 2;
const EXPIRED_TOKEN = 3;
const FAILED_TO_CONNECT = 4;
// A connection that fails (its token expired during a slow page load, the server restarted) is
// started once more with a fresh token before the page gives up.
const RESTARTS_PER_CONNECTION = 1;
let restarts = 0;

function scheduleRenewal(expiresIn) {
  // Expiry is counted in whole seconds, so a token may live up to a second less than expires_in.
  const delay = Math.max((expiresIn - 1) * 1000 * RENEW_AFTER, MIN_RENEW_DELAY_MS);
  renewAt = Date.now() + delay;
  window.clearTimeout(renewTimer);
  renewTimer = window.setTimeout(() => renew().catch(showFailure), delay);
}

// Fetches a fresh token for the same conversation with the resume credential and hands it to the
// running connection (`reconnect`), so the transcript, the stream and pending messages stay. If
// the conversation is gone, the token is for a new one: then the chat starts over.
function renew() {
  renewing ??= fetchToken()
    .then((body) => {
      if (body.conversationId === conversationId) {
        // The stream stays open; its URL is passed on only because reconnect() would clear it.
        directLine.reconnect({
          conversationId,
          token: body.token,
          streamUrl: directLine.streamUrl,
        });
        scheduleRenewal(body.expires_in);
        document.getElementById('status').textContent = '';
      } else {
        openConversation(body);
        render();
      }
    })
    .finally(() => {
      renewing = undefined;
    });
  return renewing;
}

// Web Chat store middleware: a message is posted only with a live token. A tab that slept (its
// timers stopped) would otherwise post with an expired token, and the message would be lost.
const renewBeforePosting = () => (next) => (action) => {
  if (action.type === 'DIRECT_LINE/POST_ACTIVITY' && Date.now() >= renewAt) {
    return renew().then(
      () => next(action),
      () => next(action),
    );
  }
  return next(action);
};

// Starts the connection and the store for the conversation a token belongs to.
function openConversation({ token, conversationId: id, expires_in: expiresIn }) {
  directLine?.end();
  conversationId = id;
  const connection = window.WebChat.createDirectLine({
    domain: `${location.origin}/v3/directline`,
    token,
    conversationId: id,
    webSocket: true,
  });
  directLine = connection;
  store = window.WebChat.createStore({}, renewBeforePosting);
  scheduleRenewal(expiresIn);
  connection.connectionStatus$.subscribe((state) => {
    if (connection !== directLine) return;
    if (state === ONLINE) restarts = 0;
    // The token expired anyway (say, the stream broke while the tab slept): renew it.
    if (state === EXPIRED_TOKEN) renew().catch(showFailure);
    if (state === FAILED_TO_CONNECT) {
      if (restarts++ < RESTARTS_PER_CONNECTION) restart().catch(showFailure);
      else showFailure();
    }
  });
}

// Starts the same conversation afresh: a new token, connection and store (the transcript is
// fetched again from the server).
async function restart() {
  openConversation(await fetchToken());
  render();
}

function showFailure() {
  document.getElementById('status').textContent = TEXTS[language].failed;
}

async function start() {
  const status = document.getElementById('status');
  status.textContent = TEXTS[language].connecting;
  try {
    await restart();
    status.textContent = '';
  } catch {
    showFailure();
  }
}

// A tab that comes back from the background renews an overdue token before anything else.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && directLine && Date.now() >= renewAt) {
    renew().catch(showFailure);
  }
});

document.getElementById('language-switch').addEventListener('click', () => {
  language = language === 'de' ? 'en' : 'de';
  save({ language });
  applyTexts();
  if (directLine) render();
});

applyTexts();
start();
