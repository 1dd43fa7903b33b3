// "Was this page helpful?" without leaving the page. Yes / No post the answer with
// fetch (same origin; the server stores it at once) and show the server's optional
// comment step in place of the question; sending a comment posts with fetch and shows
// the server's thanks in place. A refusal (too many answers, an old form...) shows the
// server's notice in place. Every word comes from the server's HTML, in the reader's
// language. If the server cannot be reached, the form is sent the ordinary way, which
// works without this script (and a second answer from this browser replaces the first).
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

  const post = async (form, submitter) => {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (new URL(response.url).origin !== window.location.origin) {
      throw new Error("feedback: left the site");
    }
    return { status: response.status, doc: parse(await response.text()) };
  };

  // Put a part of the server's page (the comment form, the thanks, a notice) in place
  // of what the box holds, under the page's heading; links back to this page dropped.
  const show = (box, doc, selector) => {
    const part = doc.querySelector(selector);
    if (!part) return false;
    part.querySelectorAll("[data-feedback-back]").forEach((el) => el.remove());
    const heading = title(box, doc);
    box.replaceChildren(heading, document.adoptNode(part));
    const error = part.querySelector(".feedback-form__error");
    if (error) error.tabIndex = -1;
    (error || heading).focus();
    return true;
  };

  // The ordinary way: the browser posts the form and shows the server's page.
  const sendPlainly = (form, submitter) => {
    if (submitter && submitter.name) {
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = submitter.name;
      field.value = submitter.value;
      form.append(field);
    }
    form.submit();
  };

  const send = async (box, form, submitter) => {
    let reply;
    try {
      reply = await post(form, submitter);
    } catch (error) {
      sendPlainly(form, submitter);
      return;
    }
    const { status, doc } = reply;
    if (status === 200 && show(box, doc, "[data-feedback-form]")) return;
    if (status === 200 && show(box, doc, "[data-feedback-thanks]")) return;
    if (status === 400 && show(box, doc, "[data-feedback-form]")) return;
    if (show(box, doc, "[data-feedback-notice]")) return;
    sendPlainly(form, submitter);
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const box = form.closest("[data-feedback]");
    if (!box) return;
    event.preventDefault();
    if (form.dataset.busy) return; // one answer at a time
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    send(box, form, event.submitter).finally(() => {
      delete form.dataset.busy;
      form.removeAttribute("aria-busy");
    });
  });
})();
