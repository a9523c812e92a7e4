// The Playground's live trace, where htmx and its SSE extension stop: streamed chunks typed into a
// placeholder as text, an event never shown twice (and a reconnect asking only for what is missing),
// the task box cleared after a run starts, Ctrl+Enter to submit, Run unavailable while a run is going,
// and the trace kept scrolled to its end while the reader is there (the task box stays at the bottom).

const runOf = (element) => element.closest("[data-run-id]");

// -- events: once each, in order --------------------------------------------------------------------

function seenAlready(run, seq) {
  return seq <= Number(run.dataset.lastSeq || 0);
}

function remember(run, seq) {
  run.dataset.lastSeq = String(seq);
  // htmx reconnects a failed stream from this attribute: resume after the last event shown.
  const url = new URL(run.getAttribute("sse-connect"), window.location.href);
  url.searchParams.set("after", String(seq));
  run.setAttribute("sse-connect", url.pathname + url.search);
}

function settle(html) {
  // The stored event ends its agent's "typing" placeholder (see _chunk.html / _event.html).
  const template = document.createElement("template");
  template.innerHTML = html;
  const settles = template.content.querySelector("[data-settles]")?.dataset.settles;
  if (settles) document.getElementById(settles)?.remove();
}

document.addEventListener("htmx:sseBeforeMessage", (event) => {
  const message = event.detail;
  const run = runOf(event.target);
  if (!run) return;
  keepAtEnd.before();
  if (message.type !== "event") return;
  const seq = Number(message.lastEventId);
  if (seq && seenAlready(run, seq)) {
    event.preventDefault();
    return;
  }
  if (seq) remember(run, seq);
  settle(message.data);
});

document.addEventListener("htmx:sseMessage", () => keepAtEnd.after());

// -- streamed chunks: text only, into the agent's placeholder ----------------------------------------

function typeChunk(run, message) {
  let chunk;
  try {
    chunk = JSON.parse(message.data);
  } catch {
    return;
  }
  const live = run.querySelector(".run-live");
  if (!live) return;
  let text = document.getElementById(chunk.text_id);
  if (!text) {
    live.insertAdjacentHTML("beforeend", chunk.placeholder);
    text = document.getElementById(chunk.text_id);
  }
  keepAtEnd.before();
  text?.append(document.createTextNode(chunk.content));
  keepAtEnd.after();
}

document.addEventListener("htmx:sseOpen", (event) => {
  const run = runOf(event.target);
  const source = event.detail.source;
  if (!run || !source || source.playgroundChunks) return;
  source.playgroundChunks = true;
  source.addEventListener("chunk", (message) => typeChunk(run, message));
});

// -- scrolled to the end while the reader is there ---------------------------------------------------

// Like a chat: new events keep the reader at the end when they were there; a reader who scrolled up to
// read stays where they are.
const keepAtEnd = {
  atEnd: false,
  before() {
    const doc = document.scrollingElement || document.documentElement;
    this.atEnd = doc.scrollHeight - doc.scrollTop - doc.clientHeight < 80;
  },
  after() {
    if (this.atEnd) scrollToEnd();
  },
};

function scrollToEnd() {
  const doc = document.scrollingElement || document.documentElement;
  doc.scrollTop = doc.scrollHeight;
}

// A session opens at its latest run (unless the address names a run), as a chat opens at its last message.
if ("scrollRestoration" in window.history) window.history.scrollRestoration = "manual";
document.addEventListener("DOMContentLoaded", () => {
  if (document.getElementById("runs") && !window.location.hash) scrollToEnd();
});

// -- the task box --------------------------------------------------------------------------------------

// A run is going while its controls say "Running…" (`_run_controls.html`); the `end` event swaps them.
const BUSY_TITLE = "A run is going: wait for it to end or stop it";

function runGoing() {
  return Boolean(document.querySelector("#runs .run-running"));
}

function showBusy() {
  const form = document.querySelector("[data-task-form]");
  const button = form?.querySelector("[data-run-button]");
  if (!button) return;
  const busy = runGoing();
  form.toggleAttribute("data-busy", busy);
  document.getElementById("task-busy")?.toggleAttribute("hidden", !busy);
  if (busy) {
    button.setAttribute("aria-disabled", "true");
    button.setAttribute("aria-describedby", "task-busy");
    button.title = BUSY_TITLE;
  } else {
    button.removeAttribute("aria-disabled");
    button.removeAttribute("aria-describedby");
    button.removeAttribute("title");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const runs = document.getElementById("runs");
  if (!runs) return;
  showBusy();
  new MutationObserver(showBusy).observe(runs, { childList: true, subtree: true });
});

// Run while busy does nothing (the server would refuse it: one run per session at a time).
document.addEventListener("htmx:confirm", (event) => {
  const form = event.target.closest?.("[data-task-form]");
  if (form && event.target === form && form.hasAttribute("data-busy")) event.preventDefault();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches?.("[data-task-form][data-busy]")) event.preventDefault();
}, true);

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target.closest?.("[data-task-form]");
  if (!form || event.target !== form || !event.detail.successful) return;
  form.reset();
  document.getElementById("task-problems")?.replaceChildren();
  scrollToEnd();  // the new run, just appended
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const box = event.target.closest?.("textarea");
  const form = box?.form;
  if (form && (form.matches("[data-task-form]") || form.matches(".question"))) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// -- flow arrows filter the run's trace in place (the server renders the filtered events) ---------------

document.addEventListener("click", (event) => {
  const arrow = event.target.closest?.("a.flow__edge");
  const events = arrow && runOf(arrow)?.querySelector(".run-events");
  if (!events || !window.htmx) return;
  event.preventDefault();
  window.htmx.ajax("GET", arrow.getAttribute("href"), { target: events, swap: "innerHTML" });
});

// The highlighted arrow is the turn the trace shows (`_filtered.html` names it), none for the whole trace:
// so `Show all turns` clears it, whatever brought the whole trace back.
document.addEventListener("htmx:afterSwap", (event) => {
  const events = event.detail.target;
  if (!events?.matches?.(".run-events")) return;
  const shown = events.querySelector(".flow-filter-title")?.dataset.turn;
  runOf(events)?.querySelectorAll("a.flow__edge").forEach((edge) => {
    const active = edge.dataset.turn === shown;
    edge.classList.toggle("is-active", active);
    if (active) edge.setAttribute("aria-current", "true");
    else edge.removeAttribute("aria-current");
  });
});
