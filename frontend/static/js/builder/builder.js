// The Builder's behaviours htmx cannot reach: drag and drop from the library, moving graph nodes,
// drawing edges, keyboard shortcuts, the JSON view toggle and the unsaved-changes prompt.
// Every edit goes to the server as a small POST; the answer re-renders the canvas (and the rest, out of band).
import { post, postAction, selectedNode } from "./post.js";
import { initGraph } from "./graph.js";
import { initZoom } from "./zoom.js";

const builder = document.getElementById("builder");

// A termination replaces the team's, or joins it with OR / AND: Shift / Alt on a drop, else the
// "When adding a termination" choice in the library (the keyboard way).
const combineMode = () => document.querySelector('input[name="termination-combine"]:checked')?.value || "replace";

function postDrop(item, target, event) {
  const combine = event && event.shiftKey ? "or" : event && event.altKey ? "and" : combineMode();
  post("drop", { item, target, combine });
}

// --- library: drag onto a node, or the keyboard button --------------------------------------------
let dragged = null;

builder.addEventListener("dragstart", (event) => {
  const item = event.target.closest?.(".lib-item");
  if (!item) return;
  dragged = item.dataset.item;
  event.dataTransfer.setData("text/plain", dragged);
  event.dataTransfer.effectAllowed = "copy";
  builder.classList.add("dragging", `dragging-${item.dataset.componentType}`);
});

builder.addEventListener("dragend", () => {
  dragged = null;
  builder.classList.remove(...[...builder.classList].filter((c) => c.startsWith("dragging")));
  builder.querySelectorAll(".drop-over").forEach((el) => el.classList.remove("drop-over"));
});

function dropTarget(event) {
  if (!dragged) return null;
  return event.target.closest?.("[data-drop]") || (event.target.closest?.("#canvas") ? builder.querySelector(".team-node") : null);
}

builder.addEventListener("dragover", (event) => {
  const target = dropTarget(event);
  if (!target) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "copy";
  builder.querySelectorAll(".drop-over").forEach((el) => el !== target && el.classList.remove("drop-over"));
  target.classList.add("drop-over");
});

builder.addEventListener("dragleave", (event) => {
  const target = event.target.closest?.("[data-drop]");
  if (target && !target.contains(event.relatedTarget)) target.classList.remove("drop-over");
});

builder.addEventListener("drop", (event) => {
  const target = dropTarget(event);
  if (!target) return;
  event.preventDefault();
  const item = event.dataTransfer.getData("text/plain") || dragged;
  target.classList.remove("drop-over");
  postDrop(item, target.dataset.node || "team", event);
});

// --- participants of a non-graph team: drag one onto another's place to reorder (or Move up/down) ---
let reorder = null;

builder.addEventListener("dragstart", (event) => {
  const node = event.target.closest?.(".participants .agent-node");
  if (!node) return;
  reorder = node.dataset.agentName;
  event.dataTransfer.setData("text/plain", reorder);
  event.dataTransfer.effectAllowed = "move";
  node.classList.add("reordering");
});

builder.addEventListener("dragend", () => {
  reorder = null;
  builder.querySelectorAll(".reordering, .drop-over").forEach((el) => el.classList.remove("reordering", "drop-over"));
});

const reorderTarget = (event) => {
  const node = reorder && event.target.closest?.(".participants .agent-node");
  return node && node.dataset.agentName !== reorder ? node : null;
};

builder.addEventListener("dragover", (event) => {
  const target = reorderTarget(event);
  if (!target) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "move";
  builder.querySelectorAll(".drop-over").forEach((el) => el !== target && el.classList.remove("drop-over"));
  target.classList.add("drop-over");
});

builder.addEventListener("drop", (event) => {
  const target = reorderTarget(event);
  if (!target) return;
  event.preventDefault();
  postAction({ type: "move_participant", name: reorder, index: Number(target.dataset.index) });
});

builder.addEventListener("click", (event) => {
  const add = event.target.closest("[data-add]");
  if (add) postDrop(add.dataset.add, add.dataset.on === "selected" ? selectedNode() : "team", event);
  if (event.target.closest("[data-import]")) document.getElementById("import-file")?.click();
  const toggle = event.target.closest("#json-toggle");
  if (toggle) {
    const shown = builder.classList.toggle("show-json");
    toggle.setAttribute("aria-pressed", String(shown));
    if (shown) document.getElementById("team-json")?.focus();
  }
});

builder.addEventListener("change", (event) => {
  if (event.target.id === "import-file" && event.target.files.length) {
    builder.classList.add("show-json");
    document.getElementById("json-toggle")?.setAttribute("aria-pressed", "true");
    window.htmx.trigger(document.getElementById("json-form"), "submit");
  }
});

// --- the JSON view keeps text the user has not applied ---------------------------------------------
// While the editor differs from what the server rendered, out-of-band updates keep the editor (and its
// text) and only mark the view "stale" when the team itself changed; `Discard my edits` reloads it.
const hasUnappliedEdits = (view) => {
  const editor = view?.querySelector("#team-json");
  return Boolean(editor) && (editor.value !== editor.defaultValue || view.dataset.edits !== "none");
};

builder.addEventListener("input", (event) => {
  const view = event.target.id === "team-json" && event.target.closest("#json-view");
  if (view && view.dataset.edits !== "stale") view.dataset.edits = hasUnappliedEdits(view) ? "unapplied" : "none";
});

document.addEventListener("htmx:oobBeforeSwap", (event) => {
  const view = event.detail.target;
  const incoming = event.detail.fragment.querySelector?.("#json-view");
  if (view.id !== "json-view" || !incoming || incoming.hasAttribute("data-json-reset") || !hasUnappliedEdits(view)) return;
  const changed = incoming.dataset.jsonVersion !== view.dataset.jsonVersion || view.dataset.edits === "stale";
  incoming.dataset.edits = changed ? "stale" : "unapplied";
  incoming.dataset.jsonVersion = view.dataset.jsonVersion; // still the version the edits began from
  incoming.querySelector("#team-json").replaceWith(view.querySelector("#team-json")); // the live editor, caret and all
});

// --- keyboard shortcuts and leaving with unsaved changes ------------------------------------------
document.addEventListener("click", (event) => {
  if (event.target.id !== "confirm-cancel") return;
  if (confirmOpener?.isConnected) confirmOpener.focus();
  confirmOpener = null;
});

// The library list is re-rendered by its search: keep the termination choice the user made.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target?.id === "library-list") builder.dataset.combine = combineMode();
});
document.addEventListener("htmx:afterSwap", () => {
  const kept = builder.dataset.combine && document.querySelector(`input[name="termination-combine"][value="${builder.dataset.combine}"]`);
  if (kept) kept.checked = true;
});

// Delete on a focused graph edge deletes it (Undo brings it back).
builder.addEventListener("keydown", (event) => {
  const edge = event.key === "Delete" && event.target.closest?.("g.edge");
  if (edge) postAction({ type: "delete_edge", edge: edge.dataset.node }, "team");
});

document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "z") return;
  if (event.target.closest?.("input, textarea, select, [contenteditable]")) return; // their own undo
  event.preventDefault();
  post(event.shiftKey ? "redo" : "undo", {}); // the server says so when there is nothing to undo
});

window.addEventListener("beforeunload", (event) => {
  if (document.querySelector('.unsaved-indicator[data-unsaved="true"]')) {
    event.preventDefault();
    event.returnValue = "";
  }
});

initGraph(builder);

initZoom(builder);

// --- keyboard focus after every answer: it never drops to the page body -----------------------------
// Partials are replaced after every edit, taking the focused control with them. One rule, after htmx
// settles: a question (the switch-team dialog) takes focus; the server's `X-Builder-Focus` header names
// the node an edit added, selected or left next to what it removed ("canvas": the canvas itself); else
// focus goes back to the control it was on (by id, or the canvas node it was in), else the canvas.
let lastFocused = { id: null, node: null };
builder.addEventListener("focusin", (event) => {
  lastFocused = { id: event.target.id || null, node: event.target.closest("#canvas [data-node]")?.dataset.node || null };
});

// The focusable control of a canvas node: the node itself (an edge, a nested model or tool), or its
// select button (the team, an agent).
function nodeControl(node) {
  const el = [...document.querySelectorAll("#canvas [data-node]")].find((n) => n.dataset.node === node);
  if (!el) return null;
  return el.matches("button, [tabindex]") ? el : el.querySelector(".node-select");
}

function focusCanvas(target) {
  const el = target === "canvas" ? document.getElementById("canvas") : nodeControl(target);
  el?.focus({ preventScroll: false });
  return Boolean(el);
}

let confirmOpener = null;
const lost = () => !document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected;

document.addEventListener("htmx:afterSettle", (event) => {
  const dialog = document.getElementById("confirm-dialog");
  if (dialog) {
    if (!dialog.contains(document.activeElement)) {
      confirmOpener = document.activeElement;
      dialog.querySelector("#confirm-yes")?.focus();
    }
    return;
  }
  const asked = event.detail.xhr?.getResponseHeader("X-Builder-Focus");
  if (asked) {
    confirmOpener = null;
    focusCanvas(asked) || focusCanvas("canvas");
    return;
  }
  if (confirmOpener?.isConnected && lost()) {
    confirmOpener.focus({ preventScroll: true });
    confirmOpener = null;
    return;
  }
  if (!lost()) return;
  const again = (lastFocused.id && document.getElementById(lastFocused.id)) || (lastFocused.node && nodeControl(lastFocused.node));
  (again || document.getElementById("canvas"))?.focus({ preventScroll: true });
});

// Cancel (a click, Enter, or Escape below) closes the question in the browser, with no request to settle:
// focus goes back to the control that asked, once studio.js has removed the question.
document.addEventListener("click", (event) => {
  if (!event.target.closest("#confirm-cancel")) return;
  const opener = confirmOpener;
  confirmOpener = null;
  queueMicrotask(() => { if (opener?.isConnected && lost()) opener.focus({ preventScroll: true }); });
});

// Escape closes the switch-team question like its Cancel button (focus goes back to what opened it);
// in the capture phase, before studio.js dismisses the message the question is in.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const dialog = document.getElementById("confirm-dialog");
  if (dialog?.contains(document.activeElement)) {
    event.preventDefault();
    dialog.querySelector("#confirm-cancel")?.click();
  }
}, { capture: true });

// Where the properties sit below the canvas (narrow windows), selecting a node brings them into view
// (registered after the focus rule, so it scrolls last): the line naming the selected node goes to the top
// of the window (the panel's "Properties" heading above it is the same for every node), so its actions and
// first fields show under it. Not when that line and the first field are already in the window; only the
// panel's heading at the bottom of the window (where focusing the selected node can leave it) is not.
const stacked = window.matchMedia("(max-width: 1100px)");
document.addEventListener("htmx:afterSettle", (event) => {
  if (!stacked.matches || !event.detail.pathInfo?.requestPath?.includes("/select?")) return;
  const panel = document.getElementById("properties");
  const title = panel?.querySelector(".properties-title") || panel;
  if (!title) return;
  const first = panel.querySelector(".properties-form .field, #opaque-form textarea") || title;
  if (title.getBoundingClientRect().top < 0 || first.getBoundingClientRect().bottom > window.innerHeight) {
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    title.scrollIntoView({ block: "start", behavior: smooth ? "smooth" : "auto" });
  }
});
// The page is ready for drags and shortcuts (tests wait on it: a drag before this does nothing).
builder.dataset.ready = "true";
