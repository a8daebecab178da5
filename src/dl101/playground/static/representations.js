// Representations per layer: each layer's activations x_0 .. x_{L-1} of test samples on their
// first two principal components (computed by the server), coloured by class.
import { CLASSES } from "./colours.js";

export function drawRepresentations(root, pca, labels, widths, regression) {
  const [layers, n] = pca.shape;
  if (root.children.length !== layers) {
    root.innerHTML = "";
    for (let i = 0; i < layers; i++) {
      const figure = document.createElement("figure"), canvas = document.createElement("canvas");
      canvas.width = 170; canvas.height = 170;
      const caption = document.createElement("figcaption");
      caption.textContent = `x${i}: ${widths[i]} ${i === 0 ? "inputs" : "neurons"}`;
      figure.append(canvas, caption);
      root.append(figure);
    }
  }
  for (let i = 0; i < layers; i++) {
    const canvas = root.children[i].querySelector("canvas"), ctx = canvas.getContext("2d");
    const p = pca.data.subarray(i * n * 2, (i + 1) * n * 2);
    let top = 1e-9;
    for (const v of p) top = Math.max(top, Math.abs(v));
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    for (let j = 0; j < n; j++) {
      const u = 85 + 78 * p[2 * j] / top, v = 85 - 78 * p[2 * j + 1] / top;
      ctx.fillStyle = regression ? `hsl(${200 + 140 * j / n}, 70%, 45%)` : CLASSES[labels[j] % CLASSES.length];
      ctx.fillRect(u - 1.5, v - 1.5, 3, 3);
    }
  }
}
