/*
 * Small helpers every console script uses, on `window.lotseConsole`:
 *   csrf()               the session's CSRF token (from <meta name="csrf-token">)
 *   postJson(url, body)  POST JSON with the token; resolves to the parsed answer, rejects with an
 *                        Error carrying `status` and `code` (the server's error code)
 *   getJson(url)         GET JSON the same way
 *   announce(text)       says `text` to screen readers through a polite live region
 * Pages work without this file; it only adds conveniences and live updates.
 */
(function () {
  'use strict';

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  function request(method, url, body) {
    var headers = { accept: 'application/json' };
    if (method !== 'GET') headers['x-csrf-token'] = csrf();
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      if (response.status === 204) return null;
      return response
        .json()
        .catch(function () {
          return null;
        })
        .then(function (data) {
          if (response.ok) return data;
          var details = (data && data.error) || {};
          var error = new Error(details.message || 'HTTP ' + response.status);
          error.status = response.status;
          error.code = details.code;
          throw error;
        });
    });
  }

  function postJson(url, body) {
    return request('POST', url, body === undefined ? {} : body);
  }

  function getJson(url) {
    return request('GET', url);
  }

  var region;
  function liveRegion() {
    if (region && document.body.contains(region)) return region;
    region = document.createElement('div');
    region.id = 'lotse-announcer';
    region.className = 'visually-hidden';
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('aria-atomic', 'true');
    document.body.appendChild(region);
    return region;
  }

  function announce(text) {
    var target = liveRegion();
    // Clear first so the same message twice is announced twice.
    target.textContent = '';
    setTimeout(function () {
      target.textContent = text;
    }, 100);
  }

  window.lotseConsole = { csrf: csrf, postJson: postJson, getJson: getJson, announce: announce };

  // Create the live region early: some screen readers ignore regions added just before a message.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', liveRegion);
  } else {
    liveRegion();
  }
})();
