import readline from 'node:readline';
import type { Readable } from 'node:stream';

/** Calls `onLine` for every line of a stream (the last one too, without its newline). */
export function lines(stream: Readable, onLine: (line: string) => void): void {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

const COLORS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];

export interface Painter {
  enabled: boolean;
  paint(code: number | string, text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  bold(text: string): string;
}

export function painter(enabled: boolean): Painter {
  const paint = (code: number | string, text: string) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);
  return {
    enabled,
    paint,
    dim: (t) => paint(2, t),
    red: (t) => paint(31, t),
    green: (t) => paint(32, t),
    bold: (t) => paint(1, t),
  };
}

/** `name │ ` padded to the widest name, in a color of its own. */
export function prefixer(names: readonly string[], p: Painter): (name: string) => string {
  const width = Math.max(...names.map((n) => n.length));
  return (name) => {
    const i = names.indexOf(name);
    const color = i < 0 ? 37 : COLORS[i % COLORS.length];
    return `${p.paint(color, name.padEnd(width))} ${p.dim('│')} `;
  };
}

const LEVELS: Record<number, [string, number]> = {
  10: ['TRACE', 90],
  20: ['DEBUG', 90],
  30: ['INFO ', 32],
  40: ['WARN ', 33],
  50: ['ERROR', 31],
  60: ['FATAL', 41],
};
const QUIET_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'v']);

/**
 * Renders a pino JSON line for a person: `12:03:04 INFO  message key=value…`, an error's stack on
 * the lines below. Anything that is not a pino line comes back unchanged.
 */
export function formatLogLine(line: string, p: Painter): string {
  if (!line.startsWith('{')) return line;
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof obj.level !== 'number') return line;
  const [label, color] = LEVELS[obj.level] ?? [String(obj.level).padEnd(5), 37];
  const time =
    typeof obj.time === 'string'
      ? obj.time.slice(11, 19)
      : typeof obj.time === 'number'
        ? new Date(obj.time).toISOString().slice(11, 19)
        : '';
  let stack = '';
  const extras: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (QUIET_KEYS.has(key)) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const err = value as { message?: string; stack?: string };
      extras.push(`err=${JSON.stringify(err.message ?? '')}`);
      if (err.stack) stack = `\n${err.stack}`;
      continue;
    }
    extras.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const msg = typeof obj.msg === 'string' ? obj.msg : '';
  return `${p.dim(time)} ${p.paint(color, label)} ${msg}${extras.length ? ' ' + p.dim(extras.join(' ')) : ''}${stack}`;
}
