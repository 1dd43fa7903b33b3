// The printable guide: a "Print this guide" button, and the printed date made the
// reader's own. The server writes its own date (the page works without this file);
// a tab left open overnight or a reader in another time zone prints today's date.
(() => {
  "use strict";

  const pad = (n) => String(n).padStart(2, "0");

  const stampToday = () => {
    const time = document.querySelector("[data-printed-on]");
    if (!time) return;
    const today = new Date();
    const iso = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
    if (time.getAttribute("datetime") === iso) return;
    time.setAttribute("datetime", iso);
    try {
      time.textContent = today.toLocaleDateString(document.documentElement.lang, {
        year: "numeric",
        month: "long",
        day: "numeric",
      });
    } catch {
      time.textContent = iso;
    }
  };

  window.addEventListener("beforeprint", stampToday);

  const actions = document.querySelector("[data-print-actions]");
  const button = document.querySelector("[data-print-button]");
  if (actions && button && typeof window.print === "function") {
    button.addEventListener("click", () => {
      stampToday();
      window.print();
    });
    actions.hidden = false;
  }
})();
