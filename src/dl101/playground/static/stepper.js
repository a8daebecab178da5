// One SGD step walked through as the lecture does: forward layer by layer, the loss, then
// ∂l/∂x_L → ∂l/∂z_L, ∂l/∂A_L, ∂l/∂b_L → ∂l/∂x_{L-1} → …, and θ ← θ − λ∇θ. Every number is the
// engine's (dl101/playground/walk.py); the page picks which neuron's formula to fill in.
import { fmt } from "./colours.js";
import { row } from "./frames.js";
import { sub } from "./network.js";

export class Stepper {
  constructor(panel, network, redraw) {
    this.panel = panel; this.network = network; this.redraw = redraw; this.walk = null; this.stage = -1;
    this.text = panel.querySelector("#stepper-text"); this.where = panel.querySelector("#stepper-where");
    panel.querySelector("#stepper-next").addEventListener("click", () => this.go(this.stage + 1));
    panel.querySelector("#stepper-prev").addEventListener("click", () => this.go(this.stage - 1));
    panel.querySelector("#stepper-close").addEventListener("click", () => this.close());
  }

  open(walk) {
    this.walk = walk;
    this.panel.hidden = false;
    this.panel.dataset.stages = walk.header.stages.length;
    this.go(0);
  }

  close() {
    this.walk = null; this.stage = -1; this.panel.hidden = true;
    this.panel.dataset.stage = -1;
    this.network.overlay = null; this.redraw();
  }

  go(stage) {
    if (!this.walk) return;
    const stages = this.walk.header.stages;
    this.stage = Math.max(0, Math.min(stages.length - 1, stage));
    this.panel.dataset.stage = this.stage;
    const s = stages[this.stage];
    this.where.textContent = `stage ${this.stage + 1} of ${stages.length} · step ${this.walk.header.step}, ` +
      `a batch of ${this.walk.header.batch} (numbers for its first sample)`;
    const [text, overlay] = this[s.kind](s.layer);
    this.text.innerHTML = text;
    this.network.overlay = overlay;
    this.redraw();
  }

  a(name) { return this.walk.arrays[name]; }
  first(name) { return row(this.a(name), 0); }
  L() { return this.walk.header.sigmas.length; }
  sigma(i) { return this.walk.header.sigmas[i - 1]; }

  forward(i) {
    const x = this.first(`x${i}`), k = argmax(x), prev = this.first(`x${i - 1}`);
    const A = this.a(`A${i}_before`), b = this.a(`b${i}_before`).data[k], z = this.first(`z${i}`)[k];
    const terms = [];
    for (let l = 0; l < prev.length && terms.length < 6; l++) terms.push(`${fmt(A.at(l, k), 2)}·${fmt(prev[l], 2)}`);
    return [`<b>Forward, layer ${i}</b>: x${sub(i)} = σ${sub(i)}(A${sub(i)} x${sub(i - 1)} + b${sub(i)}), kept in memory for back-propagation.\n` +
      formula(`x${sub(i)}^${k + 1} = σ${sub(i)}(Σ_l [A${sub(i)}]_{l,${k + 1}} x${sub(i - 1)}^l + [b${sub(i)}]_${k + 1}) = ` +
        `${this.sigma(i)}(${terms.join(" + ")}${prev.length > 6 ? " + …" : ""} + ${fmt(b, 2)}) = ${this.sigma(i)}(${fmt(z)}) = ${fmt(x[k])}`) +
      `x${sub(i)} = [${list(x)}]`, { layers: [...Array(i).keys()].map((j) => j + 1), lit: i }];
  }

  loss(i) {
    const h = this.walk.header, x = this.first(`x${i}`), y = this.a("y").data[0];
    const text = h.loss_name === "mse"
      ? formula(`l = mean (x${sub(i)} − y)² = ${fmt(h.loss, 5)} over the batch; first sample: g = ${fmt(x[0])}, y = ${fmt(y)}`)
      : formula(`l = −(1/b) Σ_n log p_n,y_n = ${fmt(h.loss, 5)}; first sample: class ${h.class_names[y]}, p_y = ${fmt(x[y], 4)}`);
    return [`<b>The loss</b> of the batch, from the output x${sub(i)}.\n` + text, { layers: [], lit: i }];
  }

  output(i) {
    const dx = this.first(`dx${i}`), dz = this.first(`dz${i}`);
    return [`<b>Back-propagation starts at the output</b>: ∂l/∂x${sub(i)} = l'(x${sub(i)}), then ∂l/∂z${sub(i)} = σ'${sub(i)}(z${sub(i)}) ⊙ ∂l/∂x${sub(i)}` +
      ` (for softmax + cross-entropy: (p − y)/b).\n` +
      formula(`∂l/∂x${sub(i)} = [${list(dx)}]`) + formula(`∂l/∂z${sub(i)} = [${list(dz)}]`), { layers: [], lit: i }];
  }

  weights(i) {
    const dA = this.a(`dA${i}`), db = this.a(`db${i}`).data, [l, k] = argmax2(dA);
    const xp = this.first(`x${i - 1}`)[l], dz = this.first(`dz${i}`)[k];
    return [`<b>Layer ${i}: the gradients of its parameters</b>, ∂l/∂A${sub(i)} = Σ_n x${sub(i - 1)}ᵀ ∂l/∂z${sub(i)} and ∂l/∂b${sub(i)} = Σ_n ∂l/∂z${sub(i)}` +
      ` (edges coloured by the sign of ∂l/∂A${sub(i)}: red > 0, blue < 0).\n` +
      formula(`∂l/∂[A${sub(i)}]_{${l + 1},${k + 1}} = Σ_n x${sub(i - 1)}^${l + 1} ∂l/∂z${sub(i)}^${k + 1}; first sample: ${fmt(xp)} · ${fmt(dz)} = ${fmt(xp * dz)}; over the batch: ${fmt(dA.at(l, k))}`) +
      formula(`∂l/∂[b${sub(i)}]_${k + 1} = Σ_n ∂l/∂z${sub(i)}^${k + 1} = ${fmt(db[k])}`),
      { layers: [i], lit: i, grads: { [i]: dA } }];
  }

  input(i) {
    const carry = this.a(`carry${i}`), dx = this.first(`dx${i - 1}`), l = argmax(dx);
    const dzBelow = this.first(`dz${i - 1}`)[l], k = carry.shape[1], terms = [];
    for (let j = 0; j < k && terms.length < 6; j++) terms.push(fmt(carry.at(l, j), 3));
    return [`<b>Layer ${i} hands ∂l/∂x${sub(i - 1)} back</b> to layer ${i - 1}: ∂l/∂x${sub(i - 1)} = ∂l/∂z${sub(i)} A${sub(i)}ᵀ (edges coloured by the sign of what they carry, [A${sub(i)}]_{l,k} ∂l/∂z${sub(i)}^k).\n` +
      formula(`∂l/∂x${sub(i - 1)}^${l + 1} = Σ_k [A${sub(i)}]_{${l + 1},k} ∂l/∂z${sub(i)}^k = ${terms.join(" + ")}${k > 6 ? " + …" : ""} = ${fmt(dx[l])}`) +
      formula(`∂l/∂z${sub(i - 1)}^${l + 1} = σ'${sub(i - 1)}(z${sub(i - 1)}^${l + 1}) · ∂l/∂x${sub(i - 1)}^${l + 1} = ${fmt(dzBelow)}`),
      { layers: [i], lit: i - 1, grads: { [i]: carry } }];
  }

  update() {
    const h = this.walk.header, lines = [];
    for (let i = 1; i <= this.L(); i++) {
      const dA = this.a(`dA${i}`), [l, k] = argmax2(dA);
      const before = this.a(`A${i}_before`).at(l, k), after = this.a(`A${i}_after`).at(l, k), g = dA.at(l, k);
      lines.push(formula(h.optimiser === "sgd"
        ? `[A${sub(i)}]_{${l + 1},${k + 1}} ← ${fmt(before, 5)} − ${fmt(h.lr, 4)} × ${fmt(g, 5)} = ${fmt(after, 5)}`
        : `[A${sub(i)}]_{${l + 1},${k + 1}}: ${fmt(before, 5)} → ${fmt(after, 5)} (gradient ${fmt(g, 5)}, ${h.optimiser}'s step)`));
    }
    return [`<b>The update</b> θ ← θ − λ∇θ with λ = ${fmt(h.lr, 4)} (${h.optimiser}), for each layer's weight with the largest gradient:\n` + lines.join(""),
      null];
  }
}

function formula(text) { return `<div class="formula">${text}</div>`; }
function list(values) {
  const shown = [...values.slice(0, 8)].map((v) => fmt(v));
  return shown.join(", ") + (values.length > 8 ? `, … (${values.length})` : "");
}
function argmax(values) {
  let best = 0;
  values.forEach((v, j) => { if (Math.abs(v) > Math.abs(values[best])) best = j; });
  return best;
}
function argmax2(array) {
  const j = argmax(array.data), w = array.shape[1];
  return [Math.floor(j / w), j % w];
}
