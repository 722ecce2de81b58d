// The portal's own behaviour, kept out of the pages: the Content-Security-Policy allows no
// inline scripts.

// Choosing a language switches to it; the form's button is only shown without scripts.
for (const select of document.querySelectorAll("form.language select")) {
  select.addEventListener("change", () => select.form.submit());
}

// ---- concerns: similar open concerns while a title is typed (templates/stories/concern_form.html)
// Asks /concerns/similar/ (an HTML fragment, escaped by the server) a moment after typing
// stops, and shows it beside the form. Once suggestions for the title have been shown, the
// form is sent with `confirm` set, so the server does not ask again about the same ones.
for (const form of document.querySelectorAll("form[data-similar-url]")) {
  const title = form.querySelector("input[name='title']");
  const confirm = form.querySelector("[data-similar-confirm]");
  const results = document.querySelector("[data-similar-results]");
  if (!title || !results) continue;
  let timer = null;
  let asked = "";
  const ask = async () => {
    const text = title.value.trim();
    if (text === asked) return;
    asked = text;
    if (text.length < 2) {
      results.replaceChildren();
      if (confirm) confirm.value = "";
      return;
    }
    const url = `${form.dataset.similarUrl}?title=${encodeURIComponent(text)}`;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok || text !== asked) return;
      const html = await response.text();
      const template = document.createElement("template");
      template.innerHTML = html;
      results.replaceChildren(template.content);
      if (confirm) confirm.value = results.querySelector("li") ? "1" : "";
    } catch (error) {
      // Suggestions are a help, not a step: the form still works without them.
    }
  };
  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  });
  // After a submit that already listed them above the form, do not list them twice.
  if (title.value.trim() && !document.querySelector(".concern-similar-found")) ask();
}
