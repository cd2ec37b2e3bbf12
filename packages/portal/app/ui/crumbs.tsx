/** Where the page sits: 云南省 › 昭通市 › 镇雄县 › 靖安家园, each a link up the drill-down. */
export function Crumbs({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav class="crumbs" aria-label="位置">
      {items.map((it, i) => (
        <>
          {i > 0 && <span class="sep">›</span>}
          {it.href ? <a href={it.href}>{it.label}</a> : <span>{it.label}</span>}
        </>
      ))}
    </nav>
  );
}
