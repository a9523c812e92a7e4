// GraphFlow canvas: zoom (buttons, + / − / 0 / F keys, Ctrl+wheel) and pan (the viewport scrolls: arrow
// keys, wheel, or dragging the background). The graph keeps its own coordinates (what the server stores)
// and is scaled as a whole, edges included; the zoom level lasts for this page view, not in the team.
const MIN = 0.25;
const MAX = 2;
const STEP = 1.25;
const PAN = 40;

let scale = 1;
let kept = null; // the viewport's scroll position across a canvas swap

export const zoomScale = () => scale;

const parts = () => {
  const viewport = document.getElementById("graph-viewport");
  const graph = viewport?.querySelector(".graph");
  return viewport && graph ? { viewport, graph, sizer: graph.parentElement } : null;
};

function apply() {
  const p = parts();
  if (!p) return;
  p.graph.style.transform = scale === 1 ? "" : `scale(${scale})`;
  p.sizer.style.width = `${p.graph.offsetWidth * scale}px`;
  p.sizer.style.height = `${p.graph.offsetHeight * scale}px`;
  const level = document.getElementById("zoom-level");
  if (level) level.textContent = `${Math.round(scale * 100)}%`;
  // aria-disabled, not disabled: a focused button that becomes disabled would drop focus to the body
  document.getElementById("zoom-out")?.setAttribute("aria-disabled", String(scale <= MIN));
  document.getElementById("zoom-in")?.setAttribute("aria-disabled", String(scale >= MAX));
}

// Zoom to `next`, keeping the graph point under (x, y) (viewport coordinates; default its centre) in place.
function zoomTo(next, x, y) {
  const p = parts();
  if (!p) return;
  next = Math.min(MAX, Math.max(MIN, next));
  const cx = x ?? p.viewport.clientWidth / 2;
  const cy = y ?? p.viewport.clientHeight / 2;
  const gx = (p.viewport.scrollLeft + cx) / scale;
  const gy = (p.viewport.scrollTop + cy) / scale;
  scale = next;
  apply();
  p.viewport.scrollLeft = gx * scale - cx;
  p.viewport.scrollTop = gy * scale - cy;
}

function fit() {
  const p = parts();
  if (!p) return;
  const height = parseFloat(getComputedStyle(p.viewport).maxHeight) || window.innerHeight * 0.7;
  zoomTo(Math.min(1, (p.viewport.clientWidth - 2) / p.graph.offsetWidth, (height - 2) / p.graph.offsetHeight));
  p.viewport.scrollLeft = 0;
  p.viewport.scrollTop = 0;
}

const commands = {
  in: () => zoomTo(scale * STEP),
  out: () => zoomTo(scale / STEP),
  reset: () => zoomTo(1),
  fit,
};

const KEYS = { "+": "in", "=": "in", "-": "out", "_": "out", "0": "reset", f: "fit", F: "fit" };
const ARROWS = { ArrowLeft: [-PAN, 0], ArrowRight: [PAN, 0], ArrowUp: [0, -PAN], ArrowDown: [0, PAN] };

export function initZoom(builder) {
  apply();

  builder.addEventListener("click", (event) => {
    const button = event.target.closest("[data-zoom]");
    if (button && button.getAttribute("aria-disabled") !== "true") commands[button.dataset.zoom]();
  });

  builder.addEventListener("keydown", (event) => {
    const viewport = event.target.closest?.("#graph-viewport");
    if (!viewport || event.ctrlKey || event.metaKey || event.altKey) return;
    if (KEYS[event.key] && !event.target.closest("input, textarea, select")) {
      event.preventDefault();
      commands[KEYS[event.key]]();
    } else if (ARROWS[event.key] && event.target === viewport) {
      event.preventDefault();
      viewport.scrollBy(...ARROWS[event.key]);
    }
  });

  builder.addEventListener("wheel", (event) => {
    const viewport = event.target.closest?.("#graph-viewport");
    if (!viewport || !event.ctrlKey) return; // a plain wheel scrolls (pans)
    event.preventDefault();
    const box = viewport.getBoundingClientRect();
    zoomTo(event.deltaY < 0 ? scale * STEP : scale / STEP, event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });

  // Drag the background (not a node, an edge or a button) to pan.
  let pan = null;
  builder.addEventListener("pointerdown", (event) => {
    const viewport = event.target.closest?.("#graph-viewport");
    if (!viewport || event.button !== 0 || event.target.closest(".agent-node, g.edge, button")) return;
    pan = { viewport, x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop };
    viewport.classList.add("panning");
  });
  builder.addEventListener("pointermove", (event) => {
    if (!pan) return;
    pan.viewport.scrollLeft = pan.left - (event.clientX - pan.x);
    pan.viewport.scrollTop = pan.top - (event.clientY - pan.y);
  });
  const stop = () => { pan?.viewport.classList.remove("panning"); pan = null; };
  builder.addEventListener("pointerup", stop);
  builder.addEventListener("pointercancel", stop);

  // Every edit re-renders the canvas: keep the zoom and where the view was.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const p = event.detail.target?.id === "canvas" ? parts() : null;
    kept = p ? [p.viewport.scrollLeft, p.viewport.scrollTop] : null;
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target?.id !== "canvas") return;
    apply();
    const p = parts();
    if (p && kept) [p.viewport.scrollLeft, p.viewport.scrollTop] = kept;
  });
}
