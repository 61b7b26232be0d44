// "Antrag aufnehmen": staff run one of Lotse's flows for a caller through Web Chat on Lotse's own
// Direct Line. The token comes from POST /staff/api/apply/token (session + CSRF header), which
// records the conversation as entered by this staff member. The conversation is kept in
// sessionStorage, so a reload continues the same application; the first connection sends the
// message that opens the flow (a messageBack with {action: 'start-flow', flowId}).
(() => {
  const root = document.getElementById('apply');
  if (!root) return;
  const STORAGE_KEY = 'lotse.staff.apply';
  const flowId = root.dataset.flowId;
  const texts = {
    connecting: root.dataset.textConnecting,
    started: root.dataset.textStarted,
    failed: root.dataset.textFailed,
    placeholder: root.dataset.textPlaceholder,
    startMessage: root.dataset.startMessage,
  };
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const statusLine = document.getElementById('apply-status');
  const container = document.getElementById('webchat');

  const saved = () => {
    try {
      const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || '{}');
      return value.flowId === flowId ? value : {};
    } catch {
      return {};
    }
  };
  const save = (patch) =>
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...saved(), flowId, ...patch }));

  const status = (text) => {
    statusLine.textContent = text;
  };

  // Renew when this share of a token's lifetime has passed (as the citizens' page does).
  const RENEW_AFTER = 0.75;
  const MIN_RENEW_DELAY_MS = 1000;
  // Direct Line connection states (botframework-directlinejs ConnectionStatus).
  const ONLINE = 2;
  const EXPIRED_TOKEN = 3;
  const FAILED_TO_CONNECT = 4;

  let directLine;
  let conversationId;
  let renewAt = 0;
  let renewTimer;
  let renewing;

  // A token for the saved conversation when there is one (it must be this user's), else for a
  // new conversation.
  async function fetchToken() {
    const known = saved().conversationId;
    const response = await fetch('/staff/api/apply/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(known ? { conversationId: known } : {}),
      credentials: 'same-origin',
    });
    if (known && (response.status === 403 || response.status === 404)) {
      sessionStorage.removeItem(STORAGE_KEY);
      return fetchToken();
    }
    if (!response.ok) throw new Error(`token request failed: ${response.status}`);
    const body = await response.json();
    if (body.conversationId !== known) {
      save({ conversationId: body.conversationId, userId: body.userId, started: false });
    }
    return body;
  }

  function scheduleRenewal(expiresIn) {
    const delay = Math.max((expiresIn - 1) * 1000 * RENEW_AFTER, MIN_RENEW_DELAY_MS);
    renewAt = Date.now() + delay;
    window.clearTimeout(renewTimer);
    renewTimer = window.setTimeout(() => renew().catch(fail), delay);
  }

  // A fresh token for the running conversation, handed to the open connection.
  function renew() {
    renewing ??= fetchToken()
      .then((body) => {
        if (body.conversationId !== conversationId) {
          // The conversation was gone: this is a new application.
          connect(body);
          return;
        }
        directLine.reconnect({
          conversationId,
          token: body.token,
          streamUrl: directLine.streamUrl,
        });
        scheduleRenewal(body.expires_in);
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  }

  // Opens the flow once per conversation, as soon as Direct Line is connected.
  const middleware =
    ({ dispatch }) =>
    (next) =>
    (action) => {
      if (action.type === 'DIRECT_LINE/POST_ACTIVITY' && Date.now() >= renewAt) {
        return renew().then(
          () => next(action),
          () => next(action),
        );
      }
      const result = next(action);
      if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && !saved().started) {
        save({ started: true });
        dispatch({
          type: 'WEB_CHAT/SEND_MESSAGE_BACK',
          payload: {
            text: texts.startMessage,
            displayText: texts.startMessage,
            value: { action: 'start-flow', flowId },
          },
        });
        status(texts.started);
      }
      return result;
    };

  function connect(body) {
    directLine?.end();
    conversationId = body.conversationId;
    const connection = window.WebChat.createDirectLine({
      domain: `${location.origin}/v3/directline`,
      token: body.token,
      conversationId,
      webSocket: true,
    });
    directLine = connection;
    scheduleRenewal(body.expires_in);
    connection.connectionStatus$.subscribe((state) => {
      if (connection !== directLine) return;
      if (state === ONLINE && statusLine.textContent === texts.connecting) status('');
      if (state === EXPIRED_TOKEN) renew().catch(fail);
      if (state === FAILED_TO_CONNECT) fail();
    });
    window.WebChat.renderWebChat(
      {
        directLine: connection,
        store: window.WebChat.createStore({}, middleware),
        locale: 'de-DE',
        userID: body.userId,
        styleOptions: {
          accent: '#004b87',
          hideUploadButton: false,
          sendBoxTextWrap: true,
          suggestedActionLayout: 'flow',
        },
        overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: texts.placeholder },
      },
      container,
    );
  }

  function fail() {
    status(texts.failed);
  }

  // Web Chat's bundle, served by Lotse from node_modules (no CDN).
  function loadWebChat() {
    if (window.WebChat) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/webchat/webchat.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('Web Chat did not load'));
      document.head.append(script);
    });
  }

  // "Neuen Antrag beginnen" links here with neu=1: forget the conversation, and drop the
  // parameter so that a later reload continues the new application instead of starting again.
  const params = new URLSearchParams(location.search);
  if (params.has('neu')) {
    sessionStorage.removeItem(STORAGE_KEY);
    params.delete('neu');
    window.history.replaceState(null, '', `${location.pathname}?${params}`);
  }

  // A tab back from the background renews an overdue token before anything else.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && directLine && Date.now() >= renewAt) {
      renew().catch(fail);
    }
  });

  container.classList.add('webchat-active');
  // Web Chat fills its container; the console's stylesheet knows nothing of it.
  container.style.height = '34rem';
  status(texts.connecting);
  Promise.all([loadWebChat(), fetchToken()])
    .then(([, body]) => connect(body))
    .catch(fail);
})();
