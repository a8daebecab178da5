// The output's decision regions over the plane (each grid cell coloured by the predicted class,
// paler where the network is less sure) with the train and test points on top; for the 1D
// regression set, the target f, the network's g and each hidden neuron's share C_k σ(A_k x + b_k).
import { CLASSES, rgb, fmt } from "./colours.js";

export class RegionsView {
  constructor(canvas, { onClick }) {
    this.canvas = canvas; this.ctx = canvas.getContext("2d"); this.data = null;
    this.changes = 0;  // how many times the regions' pixels changed (tests read it)
    canvas.addEventListener("click", (e) => {
      if (!this.data || this.data.header.kind !== "2d") return;
      const r = canvas.getBoundingClientRect(), { lo, hi } = this.data.header;
      const x1 = lo[0] + (e.clientX - r.left) / r.width * (hi[0] - lo[0]);
      const x2 = hi[1] - (e.clientY - r.top) / r.height * (hi[1] - lo[1]);
      onClick(x1, x2);
    });
  }

  setData(data) { this.data = data; }

  render(frame) {
    if (!this.data) return;
    if (frame.header.kind === "regression") return this.curve(frame);
    if (frame.header.kind !== "2d") return;
    const { regions, confidence } = frame.arrays, [h, w] = regions.shape;
    const image = this.ctx.createImageData(w, h), k = Math.max(2, frame.header.class_names.length);
    for (let p = 0; p < w * h; p++) {
      const c = rgb(CLASSES[regions.data[p] % CLASSES.length]);
      const sure = Math.max(0, (confidence.data[p] / 255 - 1 / k) / (1 - 1 / k));  // 0 at chance, 1 sure
      const a = 0.15 + 0.55 * sure;
      image.data.set([255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a, 255], 4 * p);
    }
    const key = regions.data.join("");
    if (key !== this.lastKey) { this.changes++; this.lastKey = key; }
    const scratch = document.createElement("canvas");
    scratch.width = w; scratch.height = h;
    scratch.getContext("2d").putImageData(image, 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(scratch, 0, 0, this.canvas.width, this.canvas.height);
    this.points("x_train", "y_train", "#fff");
    this.points("x_test", "y_test", "#000");
  }

  toPixel(x1, x2) {
    const { lo, hi } = this.data.header;
    return [(x1 - lo[0]) / (hi[0] - lo[0]) * this.canvas.width, (hi[1] - x2) / (hi[1] - lo[1]) * this.canvas.height];
  }

  points(xs, ys, edge) {
    const x = this.data.arrays[xs], y = this.data.arrays[ys];
    if (!x) return;
    const ctx = this.ctx;
    ctx.lineWidth = 1;
    for (let n = 0; n < x.shape[0]; n++) {
      const [u, v] = this.toPixel(x.data[2 * n], x.data[2 * n + 1]);
      ctx.beginPath(); ctx.arc(u, v, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = CLASSES[y.data[n] % CLASSES.length]; ctx.strokeStyle = edge;
      ctx.fill(); ctx.stroke();
    }
  }

  curve(frame) {
    const ctx = this.ctx, W = this.canvas.width, H = this.canvas.height, d = this.data.arrays;
    const xs = d.curve_x.data, f = d.curve_f.data, g = frame.arrays.curve_g.data, parts = frame.arrays.parts;
    let lo = Infinity, hi = -Infinity;
    for (const v of [...f, ...g]) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    lo = Math.max(lo, -5) - 0.2; hi = Math.min(hi, 5) + 0.2;
    const X = (x) => (x - xs[0]) / (xs[xs.length - 1] - xs[0]) * W, Y = (v) => H - (v - lo) / (hi - lo) * H;
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
    const line = (values, colour, width) => {
      ctx.beginPath(); ctx.strokeStyle = colour; ctx.lineWidth = width;
      values.forEach((v, j) => (j ? ctx.lineTo(X(xs[j]), Y(v)) : ctx.moveTo(X(xs[j]), Y(v))));
      ctx.stroke();
    };
    for (let k = 0; k < parts.shape[0]; k++) line(parts.data.subarray(k * xs.length, (k + 1) * xs.length), "#bbb", 1);
    line(f, "#000", 3);
    line(g, "#E69F00", 2);
    ctx.fillStyle = "#333"; ctx.font = "12px sans-serif";
    ctx.fillText(`target f (black), g(x) = Σ C_k σ(A_k x + b_k) (orange), shares (grey)`, 6, 14);
    ctx.fillText(`sup |f − g| on [−1, 1] = ${fmt(frame.header.sup_error)}`, 6, 30);
    this.changes++;
  }
}
