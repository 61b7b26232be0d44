/*
 * Live updates for the handoff pages (server-sent events from /staff/events): the queue refreshes
 * itself, new messages appear in the transcript, and replies are sent without a reload. Without
 * this script every page still works through its forms.
 */
(function () {
  'use strict';
  var live = document.getElementById('live');
  var texts = live && live.dataset.texts ? JSON.parse(live.dataset.texts) : {};

  function say(text) {
    if (!live) return;
    live.textContent = '';
    window.setTimeout(function () {
      live.textContent = text;
    }, 50);
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function postJson(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
      body: JSON.stringify(body),
    });
  }

  /** Replaces the queue with a fresh one, keeping keyboard focus on the same control. */
  function refreshQueue() {
    var queue = document.getElementById('queue');
    if (!queue) return;
    fetch('/staff/handoffs/queue' + window.location.search, { credentials: 'same-origin' })
      .then(function (res) {
        return res.ok ? res.text() : '';
      })
      .then(function (markup) {
        if (!markup) return;
        var fresh = new DOMParser().parseFromString(markup, 'text/html').getElementById('queue');
        var current = document.getElementById('queue');
        if (!fresh || !current) return;
        var focused = document.activeElement;
        var form = focused && current.contains(focused) ? focused.closest('form') : null;
        var action = form ? form.getAttribute('action') : null;
        var before = Number(current.dataset.pending || 0);
        current.replaceWith(document.importNode(fresh, true));
        if (action) {
          var again = document.querySelector('#queue form[action="' + action + '"] button');
          if (again) again.focus();
        }
        if (Number(fresh.dataset.pending || 0) > before && texts.newRequest) say(texts.newRequest);
      })
      .catch(function () {});
  }

  function appendMessage(message) {
    var list = document.getElementById('transcript');
    if (!list) return;
    var empty = document.getElementById('transcript-empty');
    if (empty) empty.remove();
    var item = document.createElement('li');
    item.className = 'message from-' + message.from;
    var sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = (texts.from && texts.from[message.from]) || message.from;
    var time = document.createElement('time');
    time.setAttribute('datetime', message.timestamp);
    time.textContent = new Date(message.timestamp).toLocaleString('de-DE', {
      dateStyle: 'short',
      timeStyle: 'short',
    });
    var text = document.createElement('p');
    text.textContent = message.text;
    item.append(sender, ' ', time, text);
    list.append(item);
    if (message.from === 'citizen' && texts.newMessage) say(texts.newMessage);
  }

  // A form being submitted navigates anyway; a reload now would cancel that navigation.
  var leaving = false;
  document.addEventListener('submit', function (e) {
    if (!e.defaultPrevented && e.target.id !== 'reply') leaving = true;
  });

  var transcript = document.getElementById('transcript');
  var handoffId = transcript ? transcript.dataset.handoff : null;

  if (window.EventSource) {
    var events = new EventSource('/staff/events');
    events.addEventListener('ready', function () {
      document.documentElement.dataset.live = 'ready';
    });
    events.addEventListener('handoff-updated', function (e) {
      var data = JSON.parse(e.data);
      if (handoffId && data.id === handoffId) {
        var closed = data.status !== 'pending' && data.status !== 'assigned';
        if (closed && !leaving) window.location.reload();
        return;
      }
      refreshQueue();
    });
    events.addEventListener('presence-changed', refreshQueue);
    events.addEventListener('handoff-message', function (e) {
      var data = JSON.parse(e.data);
      if (data.handoffId === handoffId) appendMessage(data.message);
    });
  }

  var reply = document.getElementById('reply');
  if (reply) {
    reply.addEventListener('submit', function (e) {
      e.preventDefault();
      var field = document.getElementById('reply-text');
      var text = field.value.trim();
      if (!text) return;
      postJson(reply.getAttribute('action'), { text: text })
        .then(function (res) {
          return res.json().then(function (body) {
            return { ok: res.ok, body: body };
          });
        })
        .then(function (result) {
          var error = document.getElementById('reply-error');
          if (result.ok) {
            field.value = '';
            if (error) error.remove();
            say(texts.sent);
            field.focus();
          } else {
            if (!error) {
              error = document.createElement('p');
              error.id = 'reply-error';
              error.className = 'error';
              error.setAttribute('role', 'alert');
              reply.prepend(error);
            }
            error.textContent = result.body.error ? result.body.error.message : '';
          }
        })
        .catch(function () {
          reply.submit();
        });
    });
  }
})();
