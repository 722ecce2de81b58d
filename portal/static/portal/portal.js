// The portal's own behaviour, kept out of the pages: the Content-Security-Policy allows no
// inline scripts.

// Choosing a language switches to it; the form's button is only shown without scripts.
for (const select of document.querySelectorAll("form.language select")) {
  select.addEventListener("change", () => select.form.submit());
}
