// Onboarding's behaviour (templates/onboarding/), kept out of the pages: the
// Content-Security-Policy allows no inline scripts.

// ---- the certificate: a Print button, shown only where it works.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// ---- a module: remember the last block the learner reached (ModuleProgress.stopped_at).
// A block counts as reached once its top passes the upper part of the window. Nothing is
// sent until the learner scrolls (or follows a link to a block): opening the page at its top
// must not forget where they stopped last time. The block is posted to the module's own
// address a moment after scrolling stops, and when the page is left.
for (const article of document.querySelectorAll("[data-stopped-url]")) {
  const blocks = [...article.querySelectorAll("[data-block-id]")];
  if (!blocks.length || !("IntersectionObserver" in window)) continue;
  const url = article.dataset.stoppedUrl;
  const token = article.dataset.csrfToken;
  let sent = article.dataset.stoppedAt || "";
  let moved = false;
  let timer = null;
  const seen = new Set();

  const reached = () => {
    // At the very end of the page the last block is reached, however short it is.
    const end = document.documentElement.scrollHeight - 2;
    if (window.scrollY > 0 && window.innerHeight + window.scrollY >= end) {
      return blocks[blocks.length - 1].dataset.blockId;
    }
    // Else the last block, in reading order, in the upper part of the window.
    const last = blocks.filter((block) => seen.has(block)).pop();
    return last ? last.dataset.blockId : "";
  };
  const send = (leaving) => {
    clearTimeout(timer);
    const current = moved ? reached() : "";
    if (!current || current === sent) return;
    const body = new FormData();
    body.append("stopped_at", current);
    body.append("csrfmiddlewaretoken", token);
    sent = current;
    if (leaving && navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
    fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
      keepalive: true,
    }).catch(() => {
      // Only a convenience: the next scroll tries again.
      sent = "";
    });
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => send(false), 1500);
  };

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) seen.add(entry.target);
        else seen.delete(entry.target);
      }
      if (moved) later();
    },
    { rootMargin: "0px 0px -40% 0px" },
  );
  for (const block of blocks) observer.observe(block);

  const start = () => {
    moved = true;
    later();
  };
  window.addEventListener("scroll", start, { passive: true });
  window.addEventListener("hashchange", start);
  if (window.location.hash.startsWith("#block-")) start();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send(true);
  });
  window.addEventListener("pagehide", () => send(true));
}
