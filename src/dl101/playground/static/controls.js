// The controls: each input sends {"cmd": "set", "key": ..., "value": ...}; the server checks it
// and answers with the new state, which fills the controls back (one state object, the server's).
const FIELDS = { dataset: "dataset", noise: "noise", classes: "classes", n: "n", seed: "seed", lr: "lr",
  "batch-size": "bs", optimiser: "opt", epochs: "epochs", spf: "spf", init: "init" };
const ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "softmax"];
const MAX_LAYERS = 6;

export function bindControls(send) {
  for (const [id, key] of Object.entries(FIELDS)) {
    const el = document.getElementById(id);
    el.addEventListener("change", () => {
      const value = el.type === "number" ? Number(el.value) : el.value;
      send({ cmd: "set", key, value: el.type === "number" && el.value === "" ? null : value });
    });
  }
  document.getElementById("subset").addEventListener("change", (e) => {
    const value = e.target.value.split(",").map((t) => t.trim()).filter((t) => t).map(Number);
    send({ cmd: "set", key: "subset", value });
  });
  document.getElementById("preset").addEventListener("change", (e) => {
    if (e.target.value) send({ cmd: "preset", name: e.target.value });
    e.target.value = "";
  });
}

export function showConfig(state) {
  const c = state.config;
  for (const [id, key] of Object.entries(FIELDS)) {
    const el = document.getElementById(id);
    if (document.activeElement !== el) el.value = c[key];
  }
  const subset = document.getElementById("subset");
  if (document.activeElement !== subset) subset.value = c.subset.join(",");
}

// The network editor: widths and σ of each hidden layer, add or remove a layer.
export function showLayers(root, state, send) {
  const c = state.config, signature = JSON.stringify([c.hidden, c.act, state.kind]);
  if (root.dataset.signature === signature) return;
  root.dataset.signature = signature;
  root.innerHTML = "";
  const choices = state.kind === "regression" ? [...ACTIVATIONS, "square"] : ACTIVATIONS;
  const set = (key, value) => send({ cmd: "set", key, value });
  c.hidden.forEach((k, i) => {
    const div = document.createElement("div");
    div.className = "layer";
    div.innerHTML = `<span>x${i + 1}</span>`;
    const minus = button("−", `remove a neuron from layer ${i + 1}`, () => set("hidden", c.hidden.map((w, j) => (j === i ? Math.max(1, w - 1) : w))));
    const width = document.createElement("input");
    Object.assign(width, { type: "number", min: 1, value: k, className: "width", title: "neurons" });
    width.style.width = "3.5em";
    width.addEventListener("change", () => set("hidden", c.hidden.map((w, j) => (j === i ? Number(width.value) : w))));
    const plus = button("+", `add a neuron to layer ${i + 1}`, () => set("hidden", c.hidden.map((w, j) => (j === i ? w + 1 : w))));
    const sigma = document.createElement("select");
    sigma.innerHTML = choices.map((a) => `<option value="${a}"${a === c.act[i] ? " selected" : ""}>${a}</option>`).join("");
    sigma.addEventListener("change", () => set("act", c.act.map((a, j) => (j === i ? sigma.value : a))));
    const remove = button("✕", `remove layer ${i + 1}`, () => send({ cmd: "set", values: {
      hidden: c.hidden.filter((_, j) => j !== i), act: c.act.filter((_, j) => j !== i) } }));
    div.append(minus, width, plus, sigma, remove);
    root.append(div);
  });
  if (c.hidden.length < MAX_LAYERS) {
    root.append(button("+ layer", "add a hidden layer", () => send({ cmd: "set", values: {
      hidden: [...c.hidden, c.hidden[c.hidden.length - 1] || 4], act: [...c.act, c.act[c.act.length - 1] || "tanh"] } })));
  }
  const out = document.createElement("div");
  out.className = "layer";
  out.textContent = state.kind === "regression" ? "output: linear, loss: MSE" : `output: softmax over ${state.class_names.length} classes, loss: cross-entropy`;
  root.append(out);
}

function button(text, title, onClick) {
  const b = document.createElement("button");
  b.textContent = text; b.title = title;
  b.addEventListener("click", onClick);
  return b;
}
