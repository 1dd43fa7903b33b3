// "Was this page helpful?" without leaving the page. Yes / No fetch the server's
// comment form (same origin) and show it in place of the question; sending it posts
// with fetch and shows the server's thanks in place. Every word comes from the
// server's HTML, in the reader's language. Any failure falls back to the ordinary
// navigation, which works without this script.
(() => {
  "use strict";

  const parse = (html) => new DOMParser().parseFromString(html, "text/html");

  // The fetched page's h1 as this page's sub-heading, focusable so it is announced;
  // it names the feedback region, as the question did.
  const title = (box, doc) => {
    const heading = document.createElement("h2");
    heading.className = "feedback__title";
    heading.tabIndex = -1;
    const names = box.getAttribute("aria-labelledby");
    if (names) heading.id = names;
    heading.textContent = (doc.querySelector("main h1") || {}).textContent || "";
    return heading;
  };

  const fetchPage = async (url, options) => {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      ...options,
    });
    if (new URL(response.url).origin !== window.location.origin) {
      throw new Error("feedback: left the site");
    }
    return { status: response.status, doc: parse(await response.text()) };
  };

  const showForm = (box, doc) => {
    const form = doc.querySelector("[data-feedback-form]");
    if (!form) return false;
    const heading = title(box, doc);
    box.replaceChildren(heading, document.adoptNode(form));
    const error = form.querySelector(".feedback-form__error");
    if (error) error.tabIndex = -1;
    (error || heading).focus();
    return true;
  };

  const showThanks = (box, doc) => {
    const thanks = doc.querySelector("[data-feedback-thanks]");
    if (!thanks) return false;
    thanks.querySelectorAll("[data-feedback-back]").forEach((el) => el.remove());
    const heading = title(box, doc);
    box.replaceChildren(heading, document.adoptNode(thanks));
    heading.focus();
    return true;
  };

  const ask = async (box, form, submitter) => {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const url = `${form.action}?${new URLSearchParams(data)}`;
    try {
      const { status, doc } = await fetchPage(url);
      if (status === 200 && showForm(box, doc)) return;
    } catch (error) {
      // fall through to the ordinary page
    }
    window.location.assign(url);
  };

  const send = async (box, form) => {
    try {
      const { status, doc } = await fetchPage(form.action, {
        method: "POST",
        body: new FormData(form),
      });
      if (status === 200 && showThanks(box, doc)) return;
      if (status === 400 && showForm(box, doc)) return;
    } catch (error) {
      // fall through to the ordinary page
    }
    form.submit(); // the server's own page says what happened (e.g. too many answers)
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const box = form.closest("[data-feedback]");
    if (!box) return;
    event.preventDefault();
    if (form.dataset.busy) return; // one answer at a time
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    const done = form.matches("[data-feedback-form]")
      ? send(box, form)
      : ask(box, form, event.submitter);
    done.finally(() => {
      delete form.dataset.busy;
      form.removeAttribute("aria-busy");
    });
  });
})();
