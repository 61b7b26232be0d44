/*
 * Live updates for the handoff pages (server-sent events from /staff/events): the queue refreshes
 * itself, new messages appear in the transcript, and replies are sent without a reload. Without
 * this script every page still works through its forms.
 */
(function () {
  'use strict';
  // Texts come from the page (no user-facing words in scripts); helpers from console.js.
  var holder = document.getElementById('handoff-texts');
  var texts = holder && holder.dataset.texts ? JSON.parse(holder.dataset.texts) : {};
  var lotse = window.lotseConsole;

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
        var inside = focused && current.contains(focused);
        var form = inside ? focused.closest('form') : null;
        var selector = form
          ? 'form[action="' + form.getAttribute('action') + '"] button'
          : inside && focused.getAttribute('href')
            ? 'a[href="' + focused.getAttribute('href') + '"]'
            : null;
        var before = Number(current.dataset.pending || 0);
        current.replaceWith(document.importNode(fresh, true));
        // Keyboard users keep their place: the same control, or the queue's heading.
        if (inside) {
          var again = selector ? document.querySelector('#queue ' + selector) : null;
          var fallback = document.getElementById('pending-heading');
          if (again) again.focus();
          else if (fallback) {
            fallback.setAttribute('tabindex', '-1');
            fallback.focus();
          }
        }
        if (Number(fresh.dataset.pending || 0) > before && texts.newRequest)
          lotse.announce(texts.newRequest);
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
    if (message.from === 'citizen' && texts.newMessage) lotse.announce(texts.newMessage);
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
      var error = document.getElementById('reply-error');
      lotse
        .postJson(reply.getAttribute('action'), { text: text })
        .then(function () {
          field.value = '';
          if (error) error.remove();
          lotse.announce(texts.sent);
          field.focus();
        })
        .catch(function (failure) {
          // Without an answer from the server, fall back to the plain form post.
          if (!failure.status) return reply.submit();
          if (!error) {
            error = document.createElement('p');
            error.id = 'reply-error';
            error.className = 'error';
            error.setAttribute('role', 'alert');
            reply.prepend(error);
          }
          error.textContent = failure.message;
        });
    });
  }
})();
