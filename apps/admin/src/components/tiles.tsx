/** A figure: its label, its formatted value and an optional hint saying what it covers. */
export type Tile = readonly [label: string, value: string, hint?: string];

/** Figures as a description list of tiles. */
export function Tiles({ label, tiles }: { label: string; tiles: readonly Tile[] }) {
  return (
    <dl className="tiles" aria-label={label}>
      {tiles.map(([name, value, hint]) => (
        <div key={name} className="tile">
          <dt>{name}</dt>
          <dd>
            <span className="tile-value">{value}</span>
            {hint ? <span className="tile-hint">{hint}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
