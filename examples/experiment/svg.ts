/**
 * A small dependency-free SVG line chart: one path per series (gaps where a value is NaN),
 * shaded time windows, axes with ticks and a legend. Numbers are written with fixed
 * decimals, so the same data always gives the same bytes.
 */

export interface ChartSeries {
  readonly name: string;
  /** [x, y] in data units; a NaN y breaks the line. */
  readonly points: readonly (readonly [number, number])[];
  /** @default the palette's colour for the series' index */
  readonly color?: string;
  /** Drawn dashed (a variant of another series, in its colour). */
  readonly dashed?: boolean;
}

export interface ShadedWindow {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** The x axis runs from 0 to `xMax`. */
  readonly xMax: number;
  /** The y axis runs from 0 to this; default: a round number above the largest y. */
  readonly yMax?: number;
  /** How a y tick is written. @default String(value) */
  readonly yFormat?: (value: number) => string;
  readonly shaded?: readonly ShadedWindow[];
  readonly series: readonly ChartSeries[];
}

export const PALETTE = ['#d62728', '#ff7f0e', '#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];
const WIDTH = 760;
const HEIGHT = 380;
const PAD = { left: 64, right: 150, top: 40, bottom: 48 };
const TICKS = 5;

/** Escapes text for use in SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is >= `value` (1 for 0 or NaN). */
export function niceCeil(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const f = (n: number): string => n.toFixed(1);

/** Renders the chart as a complete SVG document. */
export function lineChart(options: ChartOptions): string {
  const { title, xLabel, yLabel, xMax, series } = options;
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const yMax = options.yMax ?? niceCeil(Math.max(0, ...ys));
  const yFormat = options.yFormat ?? ((v: number) => String(v));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (v: number): number => PAD.left + (Math.min(Math.max(v, 0), xMax) / xMax) * plotW;
  const y = (v: number): number =>
    PAD.top + plotH - (Math.min(Math.max(v, 0), yMax) / yMax) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (const w of options.shaded ?? []) {
    const x0 = x(w.from);
    out.push(
      `<rect class="shaded" data-label="${escapeXml(w.label)}" x="${f(x0)}" y="${PAD.top}" width="${f(x(w.to) - x0)}" height="${plotH}" fill="#e0e0e0" fill-opacity="0.7"/>`,
      `<text x="${f(x0 + 4)}" y="${PAD.top + 14}" fill="#555555">${escapeXml(w.label)}</text>`,
    );
  }
  for (let i = 0; i <= TICKS; i++) {
    const yv = (yMax * i) / TICKS;
    const xv = (xMax * i) / TICKS;
    out.push(
      `<line x1="${PAD.left}" y1="${f(y(yv))}" x2="${PAD.left + plotW}" y2="${f(y(yv))}" stroke="#eeeeee"/>`,
      `<text x="${PAD.left - 6}" y="${f(y(yv) + 4)}" text-anchor="end">${escapeXml(yFormat(yv))}</text>`,
      `<text x="${f(x(xv))}" y="${PAD.top + plotH + 18}" text-anchor="middle">${escapeXml(String(Math.round(xv)))}</text>`,
    );
  }
  out.push(
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#333333"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#333333"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : '';
    let d = '';
    let pen = false;
    for (const [px, py] of s.points) {
      if (!Number.isFinite(py)) {
        pen = false;
        continue;
      }
      d += `${d === '' ? '' : ' '}${pen ? 'L' : 'M'}${f(x(px))} ${f(y(py))}`;
      pen = true;
    }
    out.push(
      `<path class="series" data-series="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    const ly = PAD.top + 10 + i * 20;
    const lx = PAD.left + plotW + 14;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${color}" stroke-width="3"${dash}/>`,
      `<text x="${lx + 26}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
