// The playground's page: one WebSocket to the server, which runs dl101 and sends what to draw.
// Each view is its own module; the configuration is the server's state object, mirrored in the URL.
import { decode, row } from "./frames.js";
import { query, token, writeUrl, applyHidden, applyKind } from "./state.js";
import { NetworkView, GREYS } from "./network.js";
import { RegionsView } from "./regions.js";
import { drawCurves } from "./curves.js";
import { drawRepresentations } from "./representations.js";
import { Stepper } from "./stepper.js";
import { DrawView } from "./draw.js";
import { bindControls, showConfig, showLayers } from "./controls.js";
import { paint, DIVERGING, CLASSES, fmt } from "./colours.js";

const $ = (id) => document.getElementById(id);
const page = { state: null, data: null, frame: null, session: null, frames: 0, pending: null, editing: null };
window.dl101 = page;  // for tests and the benchmark: frames received, the last state

const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws?token=${encodeURIComponent(token())}`);
socket.binaryType = "arraybuffer";
const send = (message) => socket.readyState === 1 && socket.send(JSON.stringify(message));

const network = new NetworkView($("network"), { onEdit: openEditor });
const regions = new RegionsView($("regions"), { onClick: clickPlane });
const stepper = new Stepper($("stepper"), network, () => page.frame && draw(page.frame));
const drawing = new DrawView($("draw-canvas"), { onDraw: (d) => send({ cmd: "draw", ...d }) });

socket.addEventListener("open", () => send({ cmd: "hello", query: query() }));
socket.addEventListener("close", () => showMessage("the connection to the server closed: is `dl101 playground` still running?"));
socket.addEventListener("message", (event) => {
  if (typeof event.data === "string") return onJson(JSON.parse(event.data));
  const message = decode(event.data), type = message.header.type;
  if (type === "frame") {
    page.frames++;
    // latest frame wins: draw at the next animation frame, then tell the server it may send another
    const first = page.pending === null;
    page.pending = message;
    if (first) requestAnimationFrame(() => { const m = page.pending; page.pending = null; draw(m); send({ cmd: "ack" }); });
  } else if (type === "data") {
    page.data = message; regions.setData(message); showSamples(message);
  } else if (type === "walk") {
    stepper.open(message);
  }
});

function onJson(message) {
  if (message.type === "hello") { page.session = message.session; links(); }
  else if (message.type === "state") showState(message);
  else if (message.type === "error") showMessage(message.message, message.suggested_lr);
}

function showState(state) {
  page.state = state;
  showConfig(state);
  showLayers($("layers"), state, send);
  applyHidden(state.config.hide);
  applyKind(state.kind);
  $("share").value = "?" + writeUrl(state.query);
  $("play").textContent = state.playing ? "❚❚ pause" : "▶ play";
  $("play").dataset.playing = state.playing;
  if (!state.diverged && !page.error) $("message").hidden = true;
  page.error = false;
  const names = state.class_names;
  const select = $("point-class");
  if (select.options.length !== Math.max(2, names.length)) {
    select.innerHTML = Array.from({ length: Math.max(2, names.length) }, (_, k) => `<option value="${k}">${k}</option>`).join("");
  }
  $("data-info").textContent = `${state.config.dataset}: widths ${state.widths.join("-")}, ${state.n_batches} batches per epoch` +
    (state.from_run ? " (from the run folder)" : "");
}

function showMessage(text, suggestedLr) {
  const box = $("message");
  box.textContent = text;
  if (suggestedLr) {
    const fix = document.createElement("button");
    fix.id = "use-suggested-lr";
    fix.textContent = `use lr = ${fmt(suggestedLr, 4)} and reset`;
    fix.addEventListener("click", () => { send({ cmd: "set", key: "lr", value: suggestedLr }); send({ cmd: "reset" }); });
    box.append(fix);
  }
  box.hidden = false;
  page.error = true;
}

function draw(frame) {
  page.frame = frame;
  const h = frame.header, a = frame.arrays;
  const metrics = $("metrics");
  metrics.dataset.step = h.step;
  metrics.dataset.loss = h.loss ?? "";
  metrics.dataset.testAccuracy = h.test_accuracy ?? "";
  metrics.dataset.supError = h.sup_error ?? "";
  metrics.textContent = `step ${h.step} · epoch ${h.epoch} · loss ${fmt(h.loss, 4)}` +
    (h.test_accuracy === null ? (h.sup_error !== undefined ? ` · sup |f − g| ${fmt(h.sup_error)}` : "") : ` · test accuracy ${(100 * h.test_accuracy).toFixed(1)}%`);
  $("play").textContent = h.playing ? "❚❚ pause" : "▶ play";
  $("play").dataset.playing = h.playing;
  network.render(frame, h.image_shape);
  regions.render(frame);
  drawCurves($("curves"), a.history);
  if (page.data) drawRepresentations($("representations"), a.pca, page.data.arrays.pca_y.data, h.widths, h.kind === "regression");
  if (h.kind === "image") showPrediction(frame);
  $("regions-title").innerHTML = h.kind === "regression"
    ? "The fit g(x) <small>g(x) = Σ_k C_k σ(A_k x + b_k) + c against the target f</small>"
    : "Decision regions <small>test points black-edged, train white-edged; click a point to show it in the network</small>";
  $("regions").parentElement.style.display = h.kind === "image" ? "none" : "";
}

function showPrediction(frame) {
  const h = frame.header, a = frame.arrays, names = h.class_names, p = a.proba.data;
  const prediction = $("prediction");
  prediction.dataset.class = names[h.prediction];
  prediction.dataset.drawn = h.drawn;
  prediction.textContent = `${h.drawn ? "your drawing" : "test image"}: ${names[h.prediction]} (${(100 * p[h.prediction]).toFixed(1)}%)`;
  $("probabilities").innerHTML = names.map((n, k) =>
    `<div><span>${n}</span><span class="bar" style="width:${(120 * p[k]).toFixed(0)}px"></span>${(100 * p[k]).toFixed(1)}%</div>`).join("");
  const [side] = h.image_shape, ig = a.ig.data, top = Math.max(1e-12, ...ig.map(Math.abs));
  paint($("ig").getContext("2d"), Uint8Array.from(ig, (v) => Math.round(127.5 + 127.5 * v / top)), side, side, DIVERGING);
  paint($("input-image").getContext("2d"), Uint8Array.from(a.input.data, (v) => Math.round(255 * (1 - Math.min(1, Math.max(0, v))))), side, side, GREYS);
  $("completeness").textContent = `Σ attributions ${fmt(h.ig_sum, 4)} vs f(x) − f(0) ${fmt(h.gap, 4)}: completeness error ${fmt(100 * h.completeness, 2)}%`;
}

function showSamples(data) {
  const root = $("samples");
  root.innerHTML = "";
  if (data.header.kind !== "image" || !page.state) return;
  const x = data.arrays.x_test, [side] = page.state.image_shape;
  for (let n = 0; n < x.shape[0]; n++) {
    const c = document.createElement("canvas");
    c.width = 28; c.height = 28; c.title = `test image ${n}`;
    paint(c.getContext("2d"), Uint8Array.from(row(x, n), (v) => Math.round(255 * (1 - v))), side, side, GREYS);
    c.addEventListener("click", () => send({ cmd: "select", index: n }));
    root.append(c);
  }
}

function clickPlane(x1, x2) {
  if ($("click-points").checked) {
    send({ cmd: "add_point", x1: clamp(x1), x2: clamp(x2), label: Number($("point-class").value) });
    return;
  }
  const x = page.data.arrays.x_test;  // else: show the nearest test point in the network
  let best = 0, d = Infinity;
  for (let n = 0; n < x.shape[0]; n++) {
    const e = (x.data[2 * n] - x1) ** 2 + (x.data[2 * n + 1] - x2) ** 2;
    if (e < d) { d = e; best = n; }
  }
  send({ cmd: "select", index: best });
}
const clamp = (v) => Math.max(-3, Math.min(3, v));

function openEditor(target) {
  page.editing = target;
  $("editor").hidden = false;
  $("editor-label").textContent = target.param === "A" ? `[A${target.layer}]_{${target.l + 1},${target.k + 1}} =` : `[b${target.layer}]_${target.k + 1} =`;
  $("edit-value").value = target.value.toPrecision(4);
  $("edit-value").focus();
}
$("edit-apply").addEventListener("click", () => {
  const t = page.editing;
  send({ cmd: "edit", layer: t.layer, param: t.param, l: t.l ?? 0, k: t.k, value: Number($("edit-value").value) });
  $("editor").hidden = true;
});
$("edit-cancel").addEventListener("click", () => { $("editor").hidden = true; });

function links() {
  for (const name of ["model.npz", "model.json", "network.png", "network.svg", "regions.png", "regions.svg"]) {
    $(`save-${name.replace(".", "-")}`).href = `/download/${name}?session=${page.session}`;
  }
}

// training on leaves the stepper: its numbers belong to the step it walked
const train = (cmd) => () => { if (stepper.walk) stepper.close(); send({ cmd }); };
$("play").addEventListener("click", train("play"));
$("step").addEventListener("click", train("step"));
$("epoch").addEventListener("click", train("epoch"));
$("reset").addEventListener("click", train("reset"));
$("walk").addEventListener("click", () => send({ cmd: "walk" }));
$("undo-point").addEventListener("click", () => send({ cmd: "undo_point" }));
$("clear-drawing").addEventListener("click", () => { drawing.clear(); send({ cmd: "select", index: 0 }); });
$("upload").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  if (file.size > 1_000_000) return showMessage(`${file.name}: ${file.size.toLocaleString()} bytes is over the 1 MB limit`);
  send({ cmd: "upload", name: file.name, text: await file.text() });
  e.target.value = "";
});
document.addEventListener("keydown", (e) => {
  if (e.key === " " && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) { e.preventDefault(); train("play")(); }
});
bindControls(send);
