/** One decoded protobuf field: a varint (as a number), a 32-bit value's bytes, or a length-delimited slice. */
export type Field = { readonly n: number; readonly varint?: number; readonly bytes?: Uint8Array };

/**
 * Decode one protobuf message into its fields, in order. Enough of the wire format for ONNX
 * (varint, 64-bit, length-delimited, 32-bit); varints beyond 2^53 lose precision, which no dimension,
 * type code or attribute this runtime reads comes near.
 *
 * @example
 * for (const f of readFields(bytes)) if (f.n === 7) graph = f.bytes;
 */
export function readFields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let p = 0;
  const varint = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (p >= buf.length) throw new Error('truncated protobuf');
      const b = buf[p++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  };
  while (p < buf.length) {
    const key = varint();
    const n = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) out.push({ n, varint: varint() });
    else if (wire === 2) {
      const len = varint();
      if (p + len > buf.length) throw new Error('truncated protobuf');
      out.push({ n, bytes: buf.subarray(p, p + len) });
      p += len;
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      out.push({ n, bytes: buf.subarray(p, p + len) });
      p += len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

/** Packed or repeated varints of field `n` (ONNX int64 lists: dims, ints). */
export function varints(fields: readonly Field[], n: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.n !== n) continue;
    if (f.varint !== undefined) out.push(f.varint);
    else if (f.bytes) {
      let p = 0;
      while (p < f.bytes.length) {
        let v = 0;
        let scale = 1;
        let b: number;
        do { b = f.bytes[p++]!; v += (b & 0x7f) * scale; scale *= 128; } while (b >= 0x80);
        out.push(v);
      }
    }
  }
  return out;
}

const decoder = new TextDecoder();
/** The string of field `n`, or `''`. */
export const text = (fields: readonly Field[], n: number): string => {
  const f = fields.find((x) => x.n === n);
  return f?.bytes ? decoder.decode(f.bytes) : '';
};
