// The network drawn as the lecture draws it: one edge per weight [A_i]_{l,k} from x_{i-1}^l to
// x_i^k, red where A > 0 and blue where A < 0, its width by |A| and its opacity by how active the
// previous neuron is for the input shown; each neuron shows its own map over the input (2D: a
// heatmap of the plane; 1D: a strip along x; images: its first-layer weights). Hover a weight or
// a bias for its value and the neuron's formula with the numbers; click one to edit it.
import { POSITIVE, NEGATIVE, paint, fmt, DIVERGING } from "./colours.js";
import { row } from "./frames.js";

const SVG = "http://www.w3.org/2000/svg";
const MAX_DRAWN = 16, INPUT_PIXELS = 12, MAP = 30, HEIGHT = 380;

export class NetworkView {
  constructor(root, { onEdit }) {
    this.root = root; this.onEdit = onEdit; this.signature = ""; this.overlay = null;
    this.tooltip = document.getElementById("tooltip");
  }

  // Which neurons of a layer are drawn: all up to MAX_DRAWN, else the first and last 8.
  static drawn(k) {
    if (k <= MAX_DRAWN) return [...Array(k).keys()];
    const half = MAX_DRAWN / 2;
    return [...Array(half).keys(), ...Array.from({ length: half }, (_, j) => k - half + j)];
  }

  build(frame) {
    const { widths, kind, sigmas } = frame.header;
    this.kind = kind; this.widths = widths; this.sigmas = sigmas;
    this.root.innerHTML = "";
    const width = Math.max(440, this.root.clientWidth || 560), L = widths.length - 1;
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("width", width); this.svg.setAttribute("height", HEIGHT);
    this.root.append(this.svg);
    const side = Math.min(130, HEIGHT - 100), left = kind === "image" ? side + 16 : 40;
    const right = width - 90, gap = (right - left) / L;
    this.columns = widths.map((k, i) => {
      const shown = i === 0 && kind === "image" ? [] : NetworkView.drawn(k);
      const step = Math.min(MAP + 12, (HEIGHT - 60) / Math.max(shown.length, 1));
      const top = 20 + (HEIGHT - 60 - step * (shown.length - 1)) / 2;
      return { x: left + i * gap, shown, y: shown.map((_, j) => top + j * step), k, size: Math.min(MAP, step - 3) };
    });
    if (kind === "image") {
      this.inputBox = { x: 6, y: (HEIGHT - side) / 2 - 10, side };
      this.inputCanvas = this.canvas(this.inputBox.x, this.inputBox.y, side, side);
    }
    this.edges = [];
    for (let i = 1; i <= L; i++) this.edges.push(this.edgeGroup(i));
    this.maps = []; this.circles = []; this.biases = [];
    this.columns.forEach((c, i) => {
      const m = c.size;
      c.shown.forEach((k, j) => {
        const hasMap = this.hasMap(i);
        if (hasMap) this.maps.push({ i, k, canvas: this.canvas(c.x - m / 2, c.y[j] - m / 2, m, m) });
        const circle = this.element("rect", { x: c.x - m / 2, y: c.y[j] - m / 2, width: m, height: m,
          rx: hasMap ? 2 : m / 2, class: "neuron", "data-i": i, "data-k": k });
        if (hasMap) circle.setAttribute("fill", "none");
        this.circles.push({ i, k, circle });
        if (i > 0) this.hover(circle, () => this.formula(i, k), () => {});
        if (i > 0) {
          const bias = this.element("rect", { x: c.x - m / 2 - 9, y: c.y[j] + m / 2 - 8, width: 7, height: 7,
            class: "bias", "data-i": i, "data-k": k });
          this.biases.push({ i, k, bias });
          this.hover(bias, () => this.biasText(i, k), () => this.edit(i, "b", null, k));
        }
      });
      if (c.k > c.shown.length && c.shown.length) {
        const mid = (c.y[MAX_DRAWN / 2 - 1] + c.y[MAX_DRAWN / 2]) / 2;
        this.element("text", { x: c.x - 3, y: mid + 4 }).textContent = "⋮";
      }
      const label = this.element("text", { x: c.x - 14, y: HEIGHT - 12 });
      label.textContent = i === 0 ? `x₀: ${c.k}` : `x${sub(i)}: ${c.k} ${sigmas[i - 1]}`;
    });
    this.outputs = this.columns[L].shown.map((k, j) =>
      this.element("text", { x: this.columns[L].x + this.columns[L].size / 2 + 6, y: this.columns[L].y[j] + 4 }));
    this.signature = JSON.stringify([widths, kind, sigmas]);
  }

  hasMap(i) {
    return this.kind === "image" ? i === 1 : true;
  }

  // Where an edge of layer i starts: a neuron of x_{i-1}, or a pixel of the input image.
  start(i, l) {
    if (i === 1 && this.kind === "image") {
      const [h, w] = this.imageShape, b = this.inputBox;
      return [b.x + ((l % w) + 0.5) * b.side / w, b.y + (Math.floor(l / w) + 0.5) * b.side / h];
    }
    const c = this.columns[i - 1];
    return [c.x + c.size / 2, c.y[c.shown.indexOf(l)]];
  }

  edgeGroup(i) {
    const g = this.element("g", {}), lines = [];
    const from = i === 1 && this.kind === "image" ? [...Array(INPUT_PIXELS).keys()] : this.columns[i - 1].shown;
    const to = this.columns[i];
    from.forEach((l, a) => to.shown.forEach((k, j) => {
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("class", "edge");
      line.setAttribute("x2", to.x - to.size / 2); line.setAttribute("y2", to.y[j]);
      g.append(line);
      const edge = { line, slot: a, l, k };
      lines.push(edge);
      this.hover(line, () => this.weightText(i, edge.l, k), () => this.edit(i, "A", edge.l, k));
    }));
    return { g, lines };
  }

  element(name, attributes) {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
    this.svg.append(el);
    return el;
  }

  canvas(x, y, w, h) {
    const c = document.createElement("canvas");
    c.className = "map"; c.width = w; c.height = h;
    Object.assign(c.style, { left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${h}px` });
    this.root.append(c);
    return c;
  }

  hover(el, text, click) {
    el.addEventListener("mousemove", (e) => {
      this.tooltip.textContent = text();
      this.tooltip.hidden = false;
      Object.assign(this.tooltip.style, { left: `${e.clientX + 14}px`, top: `${e.clientY + 10}px` });
    });
    el.addEventListener("mouseleave", () => { this.tooltip.hidden = true; });
    el.addEventListener("click", click);
  }

  edit(i, param, l, k) {
    const value = param === "A" ? this.frame.arrays[`A${i}`].at(l, k) : this.frame.arrays[`b${i}`].data[k];
    this.onEdit({ layer: i, param, l, k, value });
  }

  // x_i^k = σ_i(Σ_l [A_i]_{l,k} x_{i-1}^l + [b_i]_k), with the frame's numbers.
  formula(i, k) {
    const a = this.frame.arrays, A = a[`A${i}`], x = a[`x${i - 1}`].data, b = a[`b${i}`].data[k];
    const terms = [];
    for (let l = 0; l < A.shape[0] && terms.length < 6; l++) terms.push(`${fmt(A.at(l, k), 2)}·${fmt(x[l], 2)}`);
    const more = A.shape[0] > 6 ? ` + … (${A.shape[0]} terms)` : "";
    const z = this.zOf(i, k), out = a[`x${i}`].data[k];
    return `x${sub(i)}^${k + 1} = σ${sub(i)}(Σ_l [A${sub(i)}]_{l,${k + 1}} x${sub(i - 1)}^l + [b${sub(i)}]_${k + 1})\n` +
      `     = ${this.sigmas[i - 1]}(${terms.join(" + ")}${more} + ${fmt(b, 2)})\n` +
      `     = ${this.sigmas[i - 1]}(${fmt(z)}) = ${fmt(out)}`;
  }

  zOf(i, k) {
    let offset = 0;
    for (let j = 1; j < i; j++) offset += this.widths[j];
    return this.frame.arrays.z.data[offset + k];
  }

  weightText(i, l, k) {
    const A = this.frame.arrays[`A${i}`].at(l, k);
    return `[A${sub(i)}]_{${l + 1},${k + 1}} = ${fmt(A, 4)}   (x${sub(i - 1)}^${l + 1} → x${sub(i)}^${k + 1}; click to edit)\n\n` + this.formula(i, k);
  }

  biasText(i, k) {
    const b = this.frame.arrays[`b${i}`].data[k];
    return `[b${sub(i)}]_${k + 1} = ${fmt(b, 4)}   (click to edit)\n\n` + this.formula(i, k);
  }

  render(frame, imageShape) {
    this.frame = frame; this.imageShape = imageShape;
    if (JSON.stringify([frame.header.widths, frame.header.kind, frame.header.sigmas]) !== this.signature) this.build(frame);
    const a = frame.arrays, L = this.widths.length - 1, overlay = this.overlay;
    if (this.kind === "image") this.drawInput(a.x0.data);
    for (let i = 1; i <= L; i++) {
      const { lines } = this.edges[i - 1];
      if (i === 1 && this.kind === "image") this.pickPixels(a.x0.data, lines);
      const grads = overlay && overlay.grads ? overlay.grads[i] : null;
      const source = grads || a[`A${i}`], x = a[`x${i - 1}`].data;
      let top = 1e-12, active = 1e-12;
      for (const e of lines) { top = Math.max(top, Math.abs(source.at(e.l, e.k))); active = Math.max(active, Math.abs(x[e.l])); }
      const faded = overlay && !overlay.layers.includes(i);
      for (const e of lines) {
        const v = source.at(e.l, e.k), [x1, y1] = this.start(i, e.l);
        const opacity = faded ? 0.06 : grads ? 0.25 + 0.75 * Math.abs(v) / top : Math.max(0.06, Math.abs(x[e.l]) / active);
        e.line.setAttribute("x1", x1); e.line.setAttribute("y1", y1);
        e.line.setAttribute("stroke", v >= 0 ? POSITIVE : NEGATIVE);
        e.line.setAttribute("stroke-width", (0.4 + 3.6 * Math.abs(v) / top).toFixed(2));
        e.line.setAttribute("stroke-opacity", opacity.toFixed(3));
      }
    }
    this.drawMaps(a);
    for (const { i, k, circle } of this.circles) {
      circle.classList.toggle("lit", !!(overlay && overlay.lit === i));
      if (this.hasMap(i)) continue;
      const x = a[`x${i}`].data, top = Math.max(1e-12, ...x.map(Math.abs));
      const g = Math.round(255 - 200 * Math.abs(x[k]) / top);
      circle.setAttribute("fill", `rgb(${g},${g},${g})`);
    }
    for (const { i, k, bias } of this.biases) {
      const b = a[`b${i}`].data, top = Math.max(1e-12, ...b.map(Math.abs));
      bias.setAttribute("fill", b[k] >= 0 ? POSITIVE : NEGATIVE);
      bias.setAttribute("fill-opacity", (0.15 + 0.85 * Math.abs(b[k]) / top).toFixed(2));
    }
    const out = a[`x${L}`].data, names = frame.header.class_names;
    this.columns[L].shown.forEach((k, j) => {
      this.outputs[j].textContent = names.length ? `${names[k]}: ${(100 * out[k]).toFixed(0)}%` : `g = ${fmt(out[k])}`;
    });
  }

  drawMaps(a) {
    if (!a.maps) return;
    const [, h, w] = a.maps.shape, offsets = [0];
    const layers = this.kind === "image" ? [1] : this.widths.map((_, i) => i);
    for (const i of layers) offsets.push(offsets[offsets.length - 1] + this.widths[i]);
    for (const { i, k, canvas } of this.maps) {
      const index = offsets[layers.indexOf(i)] + k;
      paint(canvas.getContext("2d"), row({ data: a.maps.data, shape: [a.maps.shape[0], h * w] }, index), h, w, DIVERGING);
    }
  }

  // The first layer's edges for an image start at its most intense pixels.
  pickPixels(x0, lines) {
    const order = [...x0.keys()].sort((p, q) => x0[q] - x0[p]).slice(0, INPUT_PIXELS);
    for (const e of lines) e.l = order[e.slot];
  }

  drawInput(x0) {
    const [h, w] = this.imageShape, grey = new Uint8Array(h * w);
    for (let p = 0; p < h * w; p++) grey[p] = Math.round(255 * (1 - Math.min(1, Math.max(0, x0[p]))));
    paint(this.inputCanvas.getContext("2d"), grey, h, w, GREYS);
  }
}

export const GREYS = Array.from({ length: 256 }, (_, u) => [u, u, u]);

export function sub(i) {
  return String(i).split("").map((d) => "₀₁₂₃₄₅₆₇₈₉"[+d]).join("");
}
