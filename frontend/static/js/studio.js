// Small behaviours htmx does not cover: dismissing flash messages, hiding the calm ones after a
// while, and saying so when the server cannot be reached.
(() => {
  "use strict";
  const AUTO_HIDE_MS = 8000;

  const flashArea = () => document.getElementById("flash");

  function autoHide(message) {
    if (message.dataset.scheduled || !message.matches(".flash-success, .flash-info")) return;
    message.dataset.scheduled = "1";
    const tryHide = () => {
      // Keep it while the pointer or keyboard focus is on it.
      if (message.matches(":hover, :focus-within")) setTimeout(tryHide, 2000);
      else message.remove();
    };
    setTimeout(tryHide, AUTO_HIDE_MS);
  }

  function showError(text) {
    const area = flashArea();
    if (!area) return;
    const message = document.createElement("div");
    message.className = "flash flash-error";
    message.setAttribute("role", "alert");
    const body = document.createElement("p");
    body.className = "flash-body";
    body.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "flash-close";
    close.dataset.dismiss = "";
    close.setAttribute("aria-label", "Dismiss message");
    close.textContent = "×";
    message.append(body, close);
    area.replaceChildren(message);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-dismiss]");
    if (button) button.closest(".flash")?.remove();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") flashArea()?.querySelector(".flash:focus-within")?.remove();
  });

  document.addEventListener("htmx:sendError", () => {
    showError("Studio did not answer. Is `studio ui` still running?");
  });

  document.addEventListener("DOMContentLoaded", () => {
    const area = flashArea();
    if (!area) return;
    area.querySelectorAll(".flash").forEach(autoHide);
    new MutationObserver(() => area.querySelectorAll(".flash").forEach(autoHide))
      .observe(area, { childList: true });
  });
})();
