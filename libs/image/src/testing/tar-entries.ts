import { Header } from 'tar';

export interface RawTarEntry {
  readonly path: string;
  readonly type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link';
  readonly content?: string | Buffer;
  readonly linkpath?: string;
  readonly mode?: number;
}

/**
 * Encodes entries exactly as given (headers from node-tar's Header), so tests can build the
 * hostile layers a packer would refuse to write: `../` names, links out of the root.
 */
export function rawTar(entries: readonly RawTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'File';
    const body = type === 'File' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    const header = new Header({
      path: e.path,
      type,
      size: body.length,
      mode: e.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      linkpath: e.linkpath,
      uid: 0,
      gid: 0,
      mtime: new Date(1_700_000_000_000),
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
