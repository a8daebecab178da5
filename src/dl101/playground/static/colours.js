// The lecture's colours: red for A > 0, blue for A < 0; maps blue (negative) - white - orange.
export const POSITIVE = "#d62728", NEGATIVE = "#1f77b4";
export const CLASSES = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                        "#000000", "#999999", "#882255"];
const BLUE = [0, 114, 178], ORANGE = [230, 159, 0], WHITE = [255, 255, 255];

// uint8 u (128 is zero) -> [r, g, b]: blue below, orange above, white at zero.
export const DIVERGING = Array.from({ length: 256 }, (_, u) => {
  const t = (u - 127.5) / 127.5, end = t < 0 ? BLUE : ORANGE, a = Math.min(1, Math.abs(t));
  return WHITE.map((w, i) => Math.round(w + (end[i] - w) * a));
});

export function rgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

// Draw a (h, w) uint8 image into a canvas context, stretched to the canvas, with a colour table.
export function paint(ctx, data, h, w, table = DIVERGING) {
  const image = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = table[data[i]];
    image.data.set([r, g, b, 255], 4 * i);
  }
  const scratch = paint.scratch || (paint.scratch = document.createElement("canvas"));
  scratch.width = w; scratch.height = h;
  scratch.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = h > 1 && w > 16;
  ctx.drawImage(scratch, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

export function fmt(v, digits = 3) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(2);
  return v.toFixed(digits);
}
