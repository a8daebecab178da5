// Loss and accuracy, train and test, against SGD steps: history rows are
// [step, batch loss, train loss, train accuracy, test loss, test accuracy].
import { fmt } from "./colours.js";

const SERIES = [[2, "#0072B2", "train loss"], [4, "#D55E00", "test loss"]];
const ACCURACY = [[3, "#0072B2", "train accuracy"], [5, "#D55E00", "test accuracy"]];

export function drawCurves(canvas, history) {
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height, n = history.shape[0], cols = history.shape[1];
  const v = (r, c) => history.data[r * cols + c];
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
  if (n < 1) return;
  const last = v(n - 1, 0), first = v(0, 0), span = Math.max(1, last - first);
  const X = (s) => 34 + (s - first) / span * (W - 44);
  let top = 1e-9;
  for (let r = 0; r < n; r++) for (const [c] of SERIES) if (Number.isFinite(v(r, c))) top = Math.max(top, v(r, c));
  const half = H / 2;
  const plot = (series, y0, y1, scale) => {
    for (const [c, colour] of series) {
      ctx.beginPath(); ctx.strokeStyle = colour; ctx.lineWidth = 1.5;
      let started = false;
      for (let r = 0; r < n; r++) {
        const value = v(r, c);
        if (!Number.isFinite(value)) continue;
        const y = y1 - Math.min(1, value / scale) * (y1 - y0);
        started ? ctx.lineTo(X(v(r, 0)), y) : ctx.moveTo(X(v(r, 0)), y);
        started = true;
      }
      ctx.stroke();
    }
  };
  plot(SERIES, 8, half - 12, top);
  plot(ACCURACY, half + 8, H - 18, 1);
  ctx.fillStyle = "#333"; ctx.font = "11px sans-serif";
  ctx.fillText(`loss (max ${fmt(top, 2)}): train blue, test red`, 36, 18);
  ctx.fillText("accuracy 0–1: train blue, test red", 36, half + 18);
  ctx.fillText(`${first}`, 30, H - 4); ctx.fillText(`step ${last}`, W - 70, H - 4);
  ctx.strokeStyle = "#ccc"; ctx.strokeRect(34, 8, W - 44, half - 20); ctx.strokeRect(34, half + 8, W - 44, half - 26);
}
