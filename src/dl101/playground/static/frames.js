// A frame from the server: uint32 n, n bytes of JSON header, then the arrays it lists as
// [name, dtype, shape, offset] (offsets from the end of the header). See dl101/playground/frames.py.
const TYPES = { float32: Float32Array, uint8: Uint8Array };

export function decode(buffer) {
  const n = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
  const arrays = {};
  for (const [name, dtype, shape, offset] of header.arrays) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new TYPES[dtype](buffer, 4 + n + offset, size);
    arrays[name] = { data, shape, at: (...index) => data[flat(shape, index)] };
  }
  delete header.arrays;
  return { header, arrays };
}

function flat(shape, index) {
  let k = 0;
  for (let d = 0; d < shape.length; d++) k = k * shape[d] + index[d];
  return k;
}

// The row r of a 2D array, as a typed-array view.
export function row(array, r) {
  const width = array.shape[array.shape.length - 1];
  return array.data.subarray(r * width, (r + 1) * width);
}
