// Charts drawn with uPlot (shipped with the page as uPlot.iife.min.js),
// in UTC like every date the API speaks.

const utc = (seconds) => globalThis.uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
const PALETTE = ['#2563eb', '#f59e0b', '#16a34a', '#dc2626'];

/**
 * A chart in `container`, or an "empty" note when there is nothing to show.
 * `xs` are unix seconds; each series is { label, values, bars?, scale? };
 * `xRange` ([from, to], unix seconds) keeps the whole period on the axis.
 * Returns a function that removes it.
 */
const drawn = new WeakMap();

export function drawChart(container, { xs, series, xRange, height = 220, emptyText = 'No data for this period yet.' }) {
  drawn.get(container)?.();
  container.replaceChildren();
  const hasData = xs.length > 0 && series.some((s) => s.values.some((v) => v != null && v !== 0));
  if (!hasData) {
    const note = document.createElement('div');
    note.className = 'empty';
    note.textContent = emptyText;
    container.append(note);
    const remove = () => note.remove();
    drawn.set(container, remove);
    return remove;
  }
  const uPlot = globalThis.uPlot;
  const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
  // Bars are centred on their day: leave half a step on each side so the first and last show whole.
  const half = series.some((s) => s.bars) && xs.length > 1 ? (xs[1] - xs[0]) / 2 : 0;
  const options = {
    width: Math.max(280, container.clientWidth || 600),
    height,
    tzDate: utc,
    scales: {
      x: {
        time: true,
        // The whole period asked for, even where nothing was recorded; bars get half a step on each side.
        range: (_u, min, max) =>
          xRange ? [Math.min(xRange[0], min), Math.max(xRange[1], max)] : [min - half, max + half],
      },
      ...Object.fromEntries(scales.map((scale) => [scale, { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] }])),
    },
    axes: [
      { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.15)' } },
      ...scales.map((scale, index) => ({
        scale,
        side: index === 0 ? 3 : 1,
        stroke: 'currentColor',
        grid: { show: index === 0, stroke: 'rgba(128,128,128,.15)' },
        label: series.find((s) => (s.scale ?? 'y') === scale).label,
        size: 60,
      })),
    ],
    series: [
      {},
      ...series.map((s, index) => ({
        label: s.label,
        scale: s.scale ?? 'y',
        stroke: PALETTE[index % PALETTE.length],
        fill: s.bars ? `${PALETTE[index % PALETTE.length]}99` : `${PALETTE[index % PALETTE.length]}22`,
        width: s.bars ? 0 : 2,
        points: { show: !s.bars && xs.length < 40 },
        ...(s.bars ? { paths: uPlot.paths.bars({ size: [0.6, 48] }) } : { paths: uPlot.paths.stepped({ align: 1 }) }),
        value: (_u, v) => (v == null ? '—' : Number(v).toLocaleString()),
      })),
    ],
    legend: { live: true },
  };
  const plot = new uPlot(options, [xs, ...series.map((s) => s.values)], container);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, container.clientWidth), height }));
  resize.observe(container);
  const remove = () => {
    drawn.delete(container);
    resize.disconnect();
    plot.destroy();
  };
  drawn.set(container, remove);
  return remove;
}

/** The last `days` UTC dates ending at `lastDate` (YYYY-MM-DD), oldest first. */
export function datesEndingAt(lastDate, days) {
  const end = Date.parse(`${lastDate}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

export const dayStart = (date) => Date.parse(`${date}T00:00:00Z`) / 1000;

/** Removes what drawChart drew in `container`. */
export const clearChart = (container) => drawn.get(container)?.();
