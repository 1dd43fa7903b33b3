// Questions checklist: tick the questions to ask, add your own, print the list.
// Everything stays in this browser (localStorage); nothing is sent anywhere. Ticks are
// kept by each question's key, the same in every language, under one storage key, so
// a family that switches language keeps its list. Every word comes from the page's
// <template>, in the reader's language. Without this script the page is a plain list
// that prints as a whole, each question with space for its answer.
(() => {
  "use strict";

  const template = document.getElementById("checklist");
  const list = document.querySelector("main ol.questions");
  if (!template || !list) return;
  const text = template.dataset;
  const parts = template.content;
  const part = (name) => parts.querySelector(`[data-part="${name}"]`).cloneNode(true);

  // Storage may be missing or refuse (private browsing, blocked): the list then
  // works for this visit only, and says so.
  const storage = (() => {
    try {
      const store = window.localStorage;
      const probe = `${text.storageKey}:probe`;
      store.setItem(probe, probe);
      store.removeItem(probe);
      return store;
    } catch {
      return null;
    }
  })();

  const language = document.documentElement.lang;

  // One saved list; "lang" says which language a family's own question was written in.
  const read = (key, lang) => {
    try {
      const saved = JSON.parse(storage.getItem(key) || "{}");
      return {
        ticked: Array.isArray(saved.ticked) ? saved.ticked.map(String) : [],
        own: Array.isArray(saved.own)
          ? saved.own
              .filter((q) => q && q.key && q.text)
              .map((q) => ({ key: String(q.key), text: String(q.text), lang: String(q.lang || lang || "") }))
          : [],
      };
    } catch {
      return { ticked: [], own: [] };
    }
  };

  // Lists saved before ticks were shared across languages, one per language
  // ("<storage key>:en", "<storage key>:fr"): merged into the one list, then removed.
  const earlier = () =>
    Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter(
      (key) => key && key.startsWith(`${text.storageKey}:`) && key !== `${text.storageKey}:probe`,
    );

  const load = () => {
    const saved = read(text.storageKey, "");
    earlier().forEach((key) => {
      const old = read(key, key.slice(text.storageKey.length + 1));
      old.ticked.forEach((tick) => saved.ticked.includes(tick) || saved.ticked.push(tick));
      old.own.forEach((q) => saved.own.some((o) => o.key === q.key) || saved.own.push(q));
    });
    return saved;
  };

  const intro = part("intro");
  const unsaved = intro.querySelector('[data-part="unsaved"]');
  const form = part("add");
  const input = form.querySelector("input");
  const error = form.querySelector(".checklist__error");
  const actions = part("actions");
  const status = part("status");

  let saving = Boolean(storage);
  const warnUnsaved = () => {
    unsaved.textContent = text.unsaved;
    unsaved.hidden = false;
  };

  const items = () => Array.from(list.querySelectorAll("li[data-key]"));

  const save = () => {
    if (!saving) return;
    const ticked = items().filter((li) => li.querySelector("input").checked).map((li) => li.dataset.key);
    const own = items()
      .filter((li) => li.dataset.own)
      .map((li) => ({ key: li.dataset.key, text: li.querySelector("label").textContent, lang: li.lang || language }));
    try {
      if (ticked.length || own.length) {
        storage.setItem(text.storageKey, JSON.stringify({ ticked, own }));
      } else {
        storage.removeItem(text.storageKey);
      }
      earlier().forEach((key) => storage.removeItem(key));
    } catch {
      saving = false; // full or refused: keep going for this visit
      warnUnsaved();
      announce(text.unsaved);
    }
  };

  // A polite message; cleared first so the same words are announced again.
  let pending = 0;
  const announce = (message) => {
    status.textContent = "";
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  };

  const mark = (li) => {
    li.classList.toggle("questions__item--ticked", li.querySelector("input").checked);
  };

  // Turn a list item's words into a checkbox with its label; the space for the
  // answer (printed only) stays after them.
  const enhance = (li) => {
    const row = part("item");
    const box = row.querySelector("input");
    const label = row.querySelector("label");
    const words = li.querySelector(".questions__text");
    box.id = `checklist-${li.dataset.key}`;
    label.htmlFor = box.id;
    label.append(...words.childNodes);
    words.replaceWith(row);
    box.addEventListener("change", () => {
      mark(li);
      save();
    });
    return row;
  };

  const removeOwn = (li) => {
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    save();
    (next ? next.querySelector("input") : input).focus();
    announce(text.removed);
  };

  const addOwn = (key, words, ticked, lang) => {
    const li = document.createElement("li");
    li.className = "questions__item questions__item--own";
    li.dataset.key = key;
    li.dataset.own = "true";
    if (lang && lang !== language) li.lang = lang; // written in the other language
    const said = document.createElement("span");
    said.className = "questions__text";
    said.textContent = words;
    const answer = part("answer");
    if (li.lang) answer.lang = language; // the page's word for "Answer"
    li.append(said, answer);
    const row = enhance(li);
    const remove = part("remove");
    remove.setAttribute("aria-describedby", `${row.querySelector("input").id}-text`);
    row.querySelector("label").id = `${row.querySelector("input").id}-text`;
    remove.addEventListener("click", () => removeOwn(li));
    row.append(remove);
    row.querySelector("input").checked = ticked;
    mark(li);
    list.append(li);
    return li;
  };

  const newKey = () => `own-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  // Build the checklist and restore what this browser kept.
  const saved = storage ? load() : { ticked: [], own: [] };
  items().forEach(enhance);
  saved.own.forEach((q) => addOwn(q.key, q.text, false, q.lang));
  items().forEach((li) => {
    li.querySelector("input").checked = saved.ticked.includes(li.dataset.key);
    mark(li);
  });
  list.classList.add("questions--checklist");
  list.before(intro);
  list.after(form, actions, status);
  if (storage && earlier().length) save(); // an earlier list, now shared by every language
  if (!storage) {
    warnUnsaved();
    window.setTimeout(() => announce(text.unsaved), 500);
  }

  const showError = (show) => {
    error.hidden = !show;
    if (show) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault(); // handled here: nothing goes to the server
    const words = input.value.replace(/\s+/g, " ").trim();
    if (!words) {
      showError(true);
      input.focus();
      announce(text.empty);
      return;
    }
    showError(false);
    addOwn(newKey(), words, true, language);
    save();
    input.value = "";
    input.focus();
    announce(text.added);
  });
  input.addEventListener("input", () => {
    if (input.value.trim()) showError(false);
  });

  // Print only the ticked questions: a class the print stylesheet reads, removed
  // once printing is over (or at the next key press or tap, where browsers do not
  // say when it is).
  const root = document.documentElement;
  const stopPrinting = () => root.classList.remove("checklist-printing");
  window.addEventListener("afterprint", stopPrinting);
  document.addEventListener("keydown", stopPrinting);
  document.addEventListener("pointerdown", stopPrinting);

  actions.querySelector('[data-action="print"]').addEventListener("click", () => {
    if (!items().some((li) => li.querySelector("input").checked)) {
      announce(text.nothing);
      return;
    }
    root.classList.add("checklist-printing");
    window.print();
  });

  actions.querySelector('[data-action="clear"]').addEventListener("click", () => {
    if (!window.confirm(text.confirmClear)) return;
    items().forEach((li) => {
      if (li.dataset.own) {
        li.remove();
      } else {
        li.querySelector("input").checked = false;
        mark(li);
      }
    });
    showError(false);
    save();
    announce(text.cleared);
  });
})();
