/** Days and months in China time (the province's calendar), as the API's YYYY-MM-DD and YYYY-MM. */
const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export const dayOf = (d: Date) => fmt.format(d);
export const today = () => dayOf(new Date());
export const daysAgo = (n: number) => dayOf(new Date(Date.now() - n * 86_400_000));
export function monthsAgo(n: number): string {
  const [y, m] = today().split('-').map(Number);
  const i = y * 12 + (m - 1) - n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
/** "2026-11-30T08:00:00.000Z" → "2026-11-30 16:00" in China time. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const t = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
  return `${dayOf(d)} ${t}`;
}
