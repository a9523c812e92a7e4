// One way to send a builder edit: an htmx POST whose answer replaces the canvas (the rest comes out of band).
const base = () => document.getElementById("builder").dataset.base;

export const selectedNode = () => document.getElementById("selected-node")?.value || "team";

export function post(path, values) {
  const canvas = document.getElementById("canvas");
  return window.htmx.ajax("POST", `${base()}/${path}`, {
    source: canvas, target: "#canvas", swap: "innerHTML", values: { node: selectedNode(), ...values },
  });
}

export const postAction = (action, node) => post("actions", { action: JSON.stringify(action), ...(node ? { node } : {}) });
