// Draw a digit with the mouse, a pen or a finger (pointer events). The server prepares the drawing
// as `dl101 predict` prepares a picture (fitted and centred as MNIST's digits), so the page only
// sends grey levels: dark ink on white paper, row-major, SIZE × SIZE.
const SIZE = 112;

export class DrawView {
  constructor(canvas, { onDraw }) {
    this.canvas = canvas; this.ctx = canvas.getContext("2d"); this.onDraw = onDraw;
    this.down = false; this.last = null; this.timer = null;
    this.clear();
    canvas.addEventListener("pointerdown", (e) => {
      this.down = true; this.last = this.at(e); canvas.setPointerCapture(e.pointerId); this.line(this.last, this.last);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!this.down) return;
      const p = this.at(e); this.line(this.last, p); this.last = p;
      if (!this.timer) this.timer = setTimeout(() => { this.timer = null; this.send(); }, 150);
    });
    const up = () => { if (this.down) { this.down = false; this.send(); } };
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", up);
  }

  at(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.canvas.width / r.width, (e.clientY - r.top) * this.canvas.height / r.height];
  }

  line(a, b) {
    const ctx = this.ctx;
    ctx.strokeStyle = "#000"; ctx.lineWidth = this.canvas.width / 11; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.beginPath(); ctx.moveTo(...a); ctx.lineTo(...b); ctx.stroke();
    this.inked = true;
  }

  clear() {
    this.ctx.fillStyle = "#fff"; this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height); this.inked = false;
  }

  send() {
    if (!this.inked) return;
    const small = document.createElement("canvas");
    small.width = SIZE; small.height = SIZE;
    const ctx = small.getContext("2d");
    ctx.drawImage(this.canvas, 0, 0, SIZE, SIZE);
    const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data, pixels = new Array(SIZE * SIZE);
    for (let p = 0; p < SIZE * SIZE; p++) pixels[p] = rgba[4 * p];
    this.onDraw({ width: SIZE, height: SIZE, pixels });
  }
}
