/** Where commands write: lines for people; progress overwrites itself on a terminal. */
export interface Output {
  info(line: string): void;
  error(line: string): void;
  progress(line: string): void;
  /** Whether progress lines overwrite themselves (a terminal); otherwise steps print plain lines. */
  readonly tty?: boolean;
}

export function terminalOutput(): Output {
  const tty = process.stdout.isTTY === true;
  let pending = false;
  const clear = (): void => {
    if (pending) process.stdout.write('\r\x1b[K');
    pending = false;
  };
  return {
    tty,
    info: (l) => {
      clear();
      process.stdout.write(l + '\n');
    },
    error: (l) => {
      clear();
      process.stderr.write(`error: ${l}\n`);
    },
    progress: (l) => {
      if (!tty) return;
      process.stdout.write(`\r\x1b[K… ${l}`);
      pending = true;
    },
  };
}
