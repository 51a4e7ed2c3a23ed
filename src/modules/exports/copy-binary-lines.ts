import { Transform, type TransformCallback } from 'node:stream';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const CRLF = Buffer.from('\r\n');

/**
 * Turns PostgreSQL's binary COPY output of a one-text-column query (each row a finished CSV
 * line, see csvLineSql) into CSV bytes: `headerLine` (with its CRLF), then each value and CRLF. Works on
 * Buffers only — no string or object per row — and handles values split across chunks.
 *
 * Format (PostgreSQL docs, "COPY … Binary Format"): an 11-byte signature, a 32-bit flags field,
 * a 32-bit header-extension length and that many bytes; then per row a 16-bit field count
 * (-1 ends the data) and per field a 32-bit length (-1 for NULL) and the bytes.
 */
export class CopyBinaryToLines extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private fieldsLeft = 0;
  private ended = false;
  /** Rows written so far. */
  rows = 0;

  constructor(private readonly headerLine: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
      const out: Buffer[] = [];
      const offset = this.parse(data, out);
      this.pending = data.subarray(offset);
      if (out.length > 0) this.push(Buffer.concat(out));
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.ended || this.pending.length > 0)
      return done(new Error('COPY output ended before its trailer'));
    done();
  }

  /** Parses whole items from `data` into `out`; returns the offset of the first unparsed byte. */
  private parse(data: Buffer, out: Buffer[]): number {
    let at = 0;
    if (!this.headerRead) {
      if (data.length < 19) return 0;
      if (!data.subarray(0, 11).equals(SIGNATURE)) throw new Error('Not a binary COPY stream');
      const extension = data.readUInt32BE(15);
      if (data.length < 19 + extension) return 0;
      at = 19 + extension;
      this.headerRead = true;
      out.push(Buffer.from(this.headerLine));
    }
    while (!this.ended) {
      if (this.fieldsLeft === 0) {
        if (data.length - at < 2) break;
        const count = data.readInt16BE(at);
        at += 2;
        if (count === -1) {
          this.ended = true;
          break;
        }
        if (count !== 1) throw new Error(`Expected one column per row, got ${count}`);
        this.fieldsLeft = count;
        // The count is consumed: if the field is not all here yet, resume at its length.
      }
      if (data.length - at < 4) break;
      const length = data.readInt32BE(at);
      const size = length < 0 ? 0 : length;
      if (data.length - at - 4 < size) break;
      if (length > 0) out.push(data.subarray(at + 4, at + 4 + size));
      out.push(CRLF);
      at += 4 + size;
      this.fieldsLeft = 0;
      this.rows++;
    }
    return at;
  }
}
