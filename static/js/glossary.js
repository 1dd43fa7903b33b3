// Glossary terms in the text: each marked term (a link to its glossary entry, which is
// what readers without JavaScript get) becomes a button that shows its definition in
// place, right after the word, and hides it again on a second press or Escape.
// The definitions come from the page itself (includes/term_definitions.html): no
// request, nothing per visitor.
(() => {
  "use strict";

  const store = document.querySelector(".term-definitions");
  if (!store) {
    return;
  }
  const moreLabel = store.dataset.more || "See in glossary";
  const BLOCKS = new Set(["P", "DIV"]);
  let count = 0;
  const opened = []; // open terms, the latest last

  // The definition's content as phrasing content, so it can sit inside a paragraph:
  // paragraphs become block-displayed spans; ids are dropped (they stay unique).
  function inlineCopy(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return node.cloneNode(true);
    }
    let copy;
    if (BLOCKS.has(node.tagName)) {
      copy = document.createElement("span");
      copy.className = "term-definition__block";
      if (node.classList.contains("notice")) {
        copy.classList.add("notice");
      }
      if (node.lang) {
        copy.lang = node.lang;
      }
      for (const child of node.childNodes) {
        copy.append(inlineCopy(child));
      }
    } else {
      copy = node.cloneNode(true);
      copy.removeAttribute("data-testid");
    }
    copy.removeAttribute("id");
    for (const inner of copy.querySelectorAll("[id]")) {
      inner.removeAttribute("id");
    }
    return copy;
  }

  function setOpen(button, open) {
    const box = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", String(open));
    box.hidden = !open;
    const at = opened.indexOf(button);
    if (at >= 0) {
      opened.splice(at, 1);
    }
    if (open) {
      opened.push(button);
    }
  }

  function enhance(link, source) {
    count += 1;
    const id = `term-definition-${count}`;

    const button = document.createElement("button");
    button.type = "button";
    button.className = "term";
    button.dataset.term = link.dataset.term;
    button.textContent = link.textContent;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);

    const box = document.createElement("span");
    box.id = id;
    box.className = "term-definition";
    box.hidden = true;
    for (const child of source.childNodes) {
      box.append(inlineCopy(child));
    }
    const more = document.createElement("a");
    more.className = "term-definition__more";
    more.href = link.getAttribute("href");
    more.textContent = moreLabel;
    const moreLine = document.createElement("span");
    moreLine.className = "term-definition__block";
    moreLine.append(more);
    box.append(moreLine);

    button.addEventListener("click", () => {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    });
    link.replaceWith(button, box);
  }

  const main = document.querySelector("main") || document.body;
  for (const link of main.querySelectorAll("a.term[data-term]")) {
    if (store.contains(link)) {
      continue;
    }
    const source = document.getElementById(`term-${link.dataset.term}`);
    if (source && store.contains(source)) {
      enhance(link, source);
    }
  }

  // Escape closes the definition the keyboard is in (or on), else the last one opened,
  // and puts focus back on its term.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    const here = document.activeElement || document.body;
    let button = here.closest("button.term");
    const box = here.closest(".term-definition");
    if (!button && box) {
      button = document.querySelector(`button.term[aria-controls="${box.id}"]`);
    }
    if (!button || button.getAttribute("aria-expanded") !== "true") {
      button = opened[opened.length - 1];
    }
    if (button && button.getAttribute("aria-expanded") === "true") {
      setOpen(button, false);
      button.focus();
      event.preventDefault();
    }
  });
})();
