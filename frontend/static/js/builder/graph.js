// GraphFlow canvas: drag a node to move it (move_node), drag from a node's handle to another node to
// add an edge (add_edge). A press without movement stays a click (it selects the node). Pointer moves are
// in screen pixels; the graph may be zoomed (zoom.js), so they are divided by its scale.
import { postAction } from "./post.js";
import { zoomScale } from "./zoom.js";

const THRESHOLD = 4;

export function initGraph(builder) {
  let gesture = null;

  builder.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    const graph = event.target.closest(".graph");
    const node = event.target.closest(".agent-node");
    if (!graph || !node) return;
    const handle = event.target.closest(".edge-handle");
    const box = graph.getBoundingClientRect();
    gesture = {
      graph, node, handle, box, startX: event.clientX, startY: event.clientY, moved: false,
      left: node.offsetLeft, top: node.offsetTop,
    };
    if (handle) event.preventDefault();
  });

  builder.addEventListener("pointermove", (event) => {
    if (!gesture) return;
    const dx = event.clientX - gesture.startX;
    const dy = event.clientY - gesture.startY;
    if (!gesture.moved && Math.hypot(dx, dy) < THRESHOLD) return;
    gesture.moved = true;
    if (gesture.handle) {
      const line = gesture.graph.querySelector(".edge-draft");
      const h = gesture.handle.getBoundingClientRect();
      const s = zoomScale();
      line.setAttribute("x1", (h.left + h.width / 2 - gesture.box.left) / s);
      line.setAttribute("y1", (h.top + h.height / 2 - gesture.box.top) / s);
      line.setAttribute("x2", (event.clientX - gesture.box.left) / s);
      line.setAttribute("y2", (event.clientY - gesture.box.top) / s);
      line.removeAttribute("hidden");
      builder.querySelectorAll(".drop-over").forEach((el) => el.classList.remove("drop-over"));
      document.elementFromPoint(event.clientX, event.clientY)?.closest(".agent-node")?.classList.add("drop-over");
    } else {
      gesture.node.classList.add("moving");
      gesture.node.style.left = `${Math.max(0, gesture.left + dx / zoomScale())}px`;
      gesture.node.style.top = `${Math.max(0, gesture.top + dy / zoomScale())}px`;
    }
  });

  builder.addEventListener("pointerup", (event) => {
    const g = gesture;
    gesture = null;
    if (!g || !g.moved) return;
    // The click that follows a drag must not select the node.
    const swallow = (e) => { e.stopPropagation(); e.preventDefault(); };
    builder.addEventListener("click", swallow, { capture: true, once: true });
    setTimeout(() => builder.removeEventListener("click", swallow, { capture: true }), 0);
    setTimeout(() => builder.querySelectorAll(".drop-over").forEach((el) => el.classList.remove("drop-over")), 0);
    if (g.handle) {
      g.graph.querySelector(".edge-draft")?.setAttribute("hidden", "");
      const target = document.elementFromPoint(event.clientX, event.clientY)?.closest(".agent-node");
      if (target) postAction({ type: "add_edge", source: g.node.dataset.agentName, target: target.dataset.agentName });
      return;
    }
    const ox = Number(g.graph.dataset.ox || 0);
    const oy = Number(g.graph.dataset.oy || 0);
    postAction({ type: "move_node", node: g.node.dataset.node, x: g.node.offsetLeft + ox, y: g.node.offsetTop + oy });
  });
}
