// Questions checklist: tick the questions to ask, add your own, print the list.
// Everything stays in this browser (localStorage, one key per language); nothing is
// sent anywhere. Every word comes from the page's <template>, in the reader's language.
// Without this script the page is a plain, printable list.
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

  const load = () => {
    try {
      const saved = JSON.parse(storage.getItem(text.storageKey) || "{}");
      return {
        ticked: Array.isArray(saved.ticked) ? saved.ticked.map(String) : [],
        own: Array.isArray(saved.own)
          ? saved.own.filter((q) => q && q.key && q.text).map((q) => ({ key: String(q.key), text: String(q.text) }))
          : [],
      };
    } catch {
      return { ticked: [], own: [] };
    }
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
      .map((li) => ({ key: li.dataset.key, text: li.querySelector("label").textContent }));
    try {
      if (ticked.length || own.length) {
        storage.setItem(text.storageKey, JSON.stringify({ ticked, own }));
      } else {
        storage.removeItem(text.storageKey);
      }
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

  // Turn a list item into a checkbox with its label (the question's own words).
  const enhance = (li) => {
    const row = part("item");
    const box = row.querySelector("input");
    const label = row.querySelector("label");
    box.id = `checklist-${li.dataset.key}`;
    label.htmlFor = box.id;
    label.append(...li.childNodes);
    li.append(row);
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

  const addOwn = (key, words, ticked) => {
    const li = document.createElement("li");
    li.className = "questions__item questions__item--own";
    li.dataset.key = key;
    li.dataset.own = "true";
    li.textContent = words;
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
  saved.own.forEach((q) => addOwn(q.key, q.text, false));
  items().forEach((li) => {
    li.querySelector("input").checked = saved.ticked.includes(li.dataset.key);
    mark(li);
  });
  list.classList.add("questions--checklist");
  list.before(intro);
  list.after(form, actions, status);
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
    addOwn(newKey(), words, true);
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
