// The theme chosen by hand (light, dark, or the system's), kept per browser in localStorage. Loaded
// in <head> without defer, so `data-theme` is on <html> before the first paint (no flash of the wrong
// theme); studio.css's colours follow it, or prefers-color-scheme when it is absent ("system").
(() => {
  "use strict";
  const KEY = "studio.theme";
  const CHOICES = ["system", "light", "dark"];

  function stored() {
    try {
      const value = window.localStorage.getItem(KEY);
      return CHOICES.includes(value) ? value : "system";
    } catch {
      return "system"; // storage blocked: follow the system
    }
  }

  function apply(choice) {
    if (choice === "system") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.dataset.theme = choice;
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", () => {
    const select = document.querySelector("[data-theme-select]");
    if (!select) return;
    select.value = stored();
    select.closest("[hidden]")?.removeAttribute("hidden"); // without JavaScript it could do nothing
    select.addEventListener("change", () => {
      const choice = CHOICES.includes(select.value) ? select.value : "system";
      try {
        if (choice === "system") window.localStorage.removeItem(KEY);
        else window.localStorage.setItem(KEY, choice);
      } catch {
        // storage blocked: the choice lasts for this page only
      }
      apply(choice);
    });
  });

  // Another tab changed it: follow.
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    const choice = stored();
    apply(choice);
    const select = document.querySelector("[data-theme-select]");
    if (select) select.value = choice;
  });
})();
