import { CopyBinaryToLines } from './copy-binary-lines';

/** A binary COPY stream as PostgreSQL writes it for one text column. */
function binaryCopy(values: (string | null)[], extension = Buffer.alloc(0)): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4)];
  const ext = Buffer.alloc(4);
  ext.writeUInt32BE(extension.length);
  parts.push(ext, extension);
  for (const value of values) {
    const head = Buffer.alloc(6);
    head.writeInt16BE(1, 0);
    const bytes = value === null ? Buffer.alloc(0) : Buffer.from(value, 'utf8');
    head.writeInt32BE(value === null ? -1 : bytes.length, 2);
    parts.push(head, bytes);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  parts.push(trailer);
  return Buffer.concat(parts);
}

async function run(chunks: Buffer[], header = 'a,b\r\n'): Promise<string> {
  const transform = new CopyBinaryToLines(header);
  const out: Buffer[] = [];
  transform.on('data', (b: Buffer) => out.push(b));
  const finished = new Promise<void>((done, fail) => {
    transform.on('end', done);
    transform.on('error', fail);
  });
  for (const chunk of chunks) transform.write(chunk);
  transform.end();
  await finished;
  return Buffer.concat(out).toString('utf8');
}

describe('CopyBinaryToLines', () => {
  const values = ['1,x', '"q, ""r""",ünï', '', null, 'last'];
  const expected = 'a,b\r\n1,x\r\n"q, ""r""",ünï\r\n\r\n\r\nlast\r\n';

  it('writes the header, then each value and CRLF', async () => {
    expect(await run([binaryCopy(values)])).toBe(expected);
  });

  it('gives the same bytes whatever the chunk boundaries (every split point, and byte by byte)', async () => {
    const whole = binaryCopy(values, Buffer.from('ext'));
    for (let cut = 1; cut < whole.length; cut++)
      expect(await run([whole.subarray(0, cut), whole.subarray(cut)])).toBe(expected);
    expect(await run([...whole].map((b) => Buffer.from([b])))).toBe(expected);
  });

  it('an empty result is the header alone', async () => {
    expect(await run([binaryCopy([])])).toBe('a,b\r\n');
  });

  it('fails on a stream cut before its trailer, or not in binary COPY format', async () => {
    const whole = binaryCopy(values);
    await expect(run([whole.subarray(0, whole.length - 2)])).rejects.toThrow(/before its trailer/);
    await expect(run([Buffer.from('subject_id,phase\n'.repeat(3))])).rejects.toThrow(
      /Not a binary COPY/,
    );
  });
});
