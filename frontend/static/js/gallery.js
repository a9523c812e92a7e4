// The gallery preview page, used from the keyboard: focus starts on its heading, and Escape goes back
// to the gallery (as its "Back to the gallery" link does), unless focus is in a form field.
const heading = document.querySelector("[data-autofocus]");
if (heading) heading.focus();

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  if (event.target.closest("input, textarea, select")) return;
  const back = document.querySelector("[data-escape-to]");
  if (back) window.location.assign(back.href);
});
