// Agent assist ("Auskunft"): one-click copy of the facts on answer cards, and the focus on the
// result after a search. The page works without this script; it only adds conveniences, so the
// copy buttons are made here, one after each value that carries its plain text in data-copy
// (composed on the server from the catalogue) and "Alles kopieren" in each card's header. Where
// the clipboard is refused, the text is selected instead, so Ctrl+C copies it.
(() => {
  const status = document.getElementById('assist-status');
  const words = status?.dataset ?? {};
  const texts = {
    copy: words.textCopy ?? 'Kopieren',
    copyAll: words.textCopyAll ?? 'Alles kopieren',
    copied: words.textCopied ?? 'Kopiert',
    failed: words.textCopyFailed ?? 'Kopieren nicht möglich',
  };

  // The console frame's announcer (console.js) when there is one, else this page's own region.
  function announce(text) {
    const shared = window.lotseConsole?.announce;
    if (typeof shared === 'function') {
      shared(text);
      return;
    }
    let region = document.getElementById('assist-status');
    if (!region) {
      region = document.createElement('p');
      region.id = 'assist-status';
      region.className = 'visually-hidden';
      region.setAttribute('role', 'status');
      region.setAttribute('aria-live', 'polite');
      document.body.append(region);
    }
    // Emptied first, so the same words copied twice are announced twice.
    region.textContent = '';
    window.setTimeout(() => {
      region.textContent = text;
    }, 100);
  }

  // Selects the text of the fact (or card), so the user can copy it with the keyboard.
  function select(element) {
    const selection = window.getSelection();
    if (!selection) return;
    const range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  async function copy(element, button) {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(element.dataset.copy ?? '');
      button.classList.add('copied');
      announce(texts.copied);
    } catch {
      select(element);
      announce(texts.failed);
    }
  }

  // Shows "Kopieren"; its name says what is copied ("Kopieren: Gebühren"), the visible word
  // first, so voice control users can say what they see.
  function copyButton(element, label) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-button';
    button.textContent = label;
    button.setAttribute('aria-label', `${label}: ${element.dataset.copyLabel ?? ''}`);
    button.addEventListener('click', () => {
      copy(element, button);
    });
    return button;
  }

  for (const element of document.querySelectorAll('[data-copy]')) {
    if (element.classList.contains('answer-card')) {
      const header = element.querySelector('.card-header') ?? element;
      header.append(copyButton(element, texts.copyAll));
    } else {
      element.after(copyButton(element, texts.copy));
    }
  }

  // After a search the page shows its result: take the focus there, so a screen reader reads
  // the heading and Tab continues into the cards instead of starting again at the top.
  const heading = document.getElementById('results-heading');
  if (heading && new URLSearchParams(location.search).has('q')) heading.focus();
})();
