/** True when `e` (or its cause) is a write that failed because the file system is full. */
export function isNoSpace(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (/no space left on device/i.test((cur as Error).message ?? '')) return true;
    cur = (cur as Error).cause;
  }
  return false;
}
