// Whether a process that left a lock or a temp file behind still runs. `kill(pid, 0)` alone says yes for
// a zombie: a process killed with -9 whose parent has not reaped it yet still has its pid, but holds no
// file and writes nothing, so a lock it left must not keep the next start waiting.
import { readFileSync } from 'node:fs';

/** The state letter of a Linux process (`R`, `S`, `Z`, `X`, …), or null where /proc has no entry for it. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "<pid> (<comm>) <state> …": comm may contain spaces and parentheses, so read after the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || null;
  } catch {
    return null;
  }
}

/** True when `pid` is a running process (of any user); false when gone, a zombie or dead. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = procState(pid);
  return state !== 'Z' && state !== 'X';
}
