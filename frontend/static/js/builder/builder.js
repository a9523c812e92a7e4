// The Builder's behaviours htmx cannot reach: drag and drop from the library, moving graph nodes,
// drawing edges, keyboard shortcuts, the JSON view toggle and the unsaved-changes prompt.
// Every edit goes to the server as a small POST; the answer re-renders the canvas (and the rest, out of band).
import { post, postAction, selectedNode } from "./post.js";
import { initGraph } from "./graph.js";

const builder = document.getElementById("builder");

function postDrop(item, target, event) {
  const combine = event && event.shiftKey ? "or" : event && event.altKey ? "and" : "replace";
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

// --- keyboard shortcuts and leaving with unsaved changes ------------------------------------------
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

// Partials are replaced after every edit: keep keyboard focus on the control it was on (by id).
let lastFocused = null;
builder.addEventListener("focusin", (event) => { lastFocused = event.target.id || null; });
document.addEventListener("htmx:afterSettle", () => {
  if (lastFocused && (document.activeElement === document.body || !document.activeElement)) {
    document.getElementById(lastFocused)?.focus({ preventScroll: true });
  }
});
