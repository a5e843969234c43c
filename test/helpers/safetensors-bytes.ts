/** A safetensors file from a header text and a data section, exactly as given (no padding added). */
export function safetensorsBytes(headerText: string, data: Uint8Array = new Uint8Array(0)): Buffer {
  const json = Buffer.from(headerText, 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + json.length);
  return out;
}
