// Small SVG charts drawn in the page from the numbers it already has: horizontal bars (members
// against a planned figure) and a monthly line (with a target or plan line). Elements are built
// with createElementNS and textContent only (Trusted Types, no inline style: colours come from
// staff.css classes). Each chart is redrawn at its container's width, so its text stays at
// its real size on a phone, and on a language switch. The same numbers are always in a table
// next to the chart: the SVG is an image with a one-line summary for screen readers.
import { h } from '../dom.ts';
import { onLangChange } from '../i18n.ts';

const NS = 'http://www.w3.org/2000/svg';

type Attrs = Record<string, string | number>;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

const fmt = (n: number) => new Intl.NumberFormat('zh-CN').format(n);

/** A figure whose SVG is drawn by `draw(width)` at the figure's width, again when that or the language changes. */
function figure(
  title: () => string,
  summary: () => string,
  draw: (width: number) => SVGSVGElement,
): HTMLElement {
  const caption = h('figcaption', {}, title());
  const holder = h('div', { class: 'chart' });
  const out = h('figure', { class: 'chart-figure' }, caption, holder);
  let drawnAt = 0;
  const render = (force = false) => {
    const width = Math.max(280, Math.floor(holder.clientWidth || 600));
    if (!force && width === drawnAt) return;
    drawnAt = width;
    caption.textContent = title();
    const chart = draw(width);
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', summary());
    chart.setAttribute('width', String(width));
    holder.replaceChildren(chart);
  };
  new ResizeObserver(() => render()).observe(holder);
  onLangChange(() => {
    if (out.isConnected) render(true);
  });
  queueMicrotask(() => render(true));
  return out;
}

export interface Bar {
  label: string;
  value: number;
  /** The planned figure, drawn as a mark across the bar; null where none is set. */
  planned: number | null;
}

/** Horizontal bars, one per row: the value as a bar, the plan as a mark, both as numbers at the end. */
export function barChart(options: {
  title: () => string;
  summary: () => string;
  bars: () => Bar[];
  legend: { value: () => string; planned: () => string };
}): HTMLElement {
  return figure(options.title, options.summary, (width) => {
    const bars = options.bars();
    const top = 30;
    // Labels left of the bars where the longest fits in a third of the width; above them
    // otherwise (long English names on a phone), so no label is ever cut.
    const longest = Math.max(0, ...bars.map((b) => textWidth(b.label)));
    const beside = longest <= Math.min(width * 0.34, 200);
    const labelWidth = beside ? Math.ceil(longest) : 0;
    const above = beside ? 0 : 18;
    const rowHeight = 30 + above;
    const numbersWidth = 76;
    const left = beside ? labelWidth + 8 : 0;
    const span = Math.max(40, width - left - numbersWidth);
    const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.planned ?? 0)));
    const x = (n: number) => left + (n / max) * span;
    const height = top + bars.length * rowHeight + 6;
    const out = svg('svg', { viewBox: `0 0 ${width} ${height}`, height, class: 'chart-svg' });
    // Legend.
    out.append(
      svg('rect', { x: 0, y: 6, width: 14, height: 12, class: 'bar-members' }),
      svg('text', { x: 20, y: 16, class: 'chart-text' }, options.legend.value()),
      svg('rect', { x: 120, y: 4, width: 4, height: 16, class: 'bar-plan' }),
      svg('text', { x: 130, y: 16, class: 'chart-text' }, options.legend.planned()),
    );
    for (const [i, bar] of bars.entries()) {
      const y = top + i * rowHeight + above;
      const label = beside
        ? svg('text', { x: labelWidth, y: y + 19, class: 'chart-text', 'text-anchor': 'end' }, bar.label)
        : svg('text', { x: 0, y: y - 2, class: 'chart-text' }, bar.label);
      out.append(
        svg('rect', { x: left, y: y + 6, width: span, height: 18, class: 'bar-track' }),
        svg('rect', {
          x: left,
          y: y + 6,
          width: Math.max(0, x(bar.value) - left),
          height: 18,
          class: 'bar-members',
        }),
        label,
      );
      if (bar.planned !== null) {
        out.append(svg('rect', { x: x(bar.planned) - 2, y: y + 2, width: 4, height: 26, class: 'bar-plan' }));
      }
      out.append(
        svg(
          'text',
          { x: left + span + 6, y: y + 19, class: 'chart-text chart-number' },
          bar.planned === null ? fmt(bar.value) : `${fmt(bar.value)} / ${fmt(bar.planned)}`,
        ),
      );
    }
    return out;
  });
}

export interface Point {
  /** YYYY-MM */
  month: string;
  value: number;
}

/** A line of monthly values, with an optional horizontal reference (the target or the plan). */
export function lineChart(options: {
  title: () => string;
  summary: () => string;
  points: () => Point[];
  reference: () => { value: number; label: string } | null;
  legend: () => string;
}): HTMLElement {
  return figure(options.title, options.summary, (width) => {
    const points = options.points();
    const reference = options.reference();
    const height = 240;
    const margin = { left: 48, right: 14, top: 30, bottom: 30 };
    const plotWidth = width - margin.left - margin.right;
    const plotHeight = height - margin.top - margin.bottom;
    const max = niceMax(Math.max(1, reference?.value ?? 0, ...points.map((p) => p.value)));
    const y = (n: number) => margin.top + plotHeight - (n / max) * plotHeight;
    const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
    const x = (i: number) => margin.left + (points.length > 1 ? i * step : plotWidth / 2);
    const out = svg('svg', { viewBox: `0 0 ${width} ${height}`, height, class: 'chart-svg' });
    out.append(
      svg('rect', { x: 0, y: 8, width: 14, height: 4, class: 'trend-swatch' }),
      svg('text', { x: 20, y: 14, class: 'chart-text' }, options.legend()),
    );
    for (let k = 0; k <= 4; k += 1) {
      const value = (max / 4) * k;
      out.append(
        svg('line', {
          x1: margin.left,
          x2: width - margin.right,
          y1: y(value),
          y2: y(value),
          class: 'grid-line',
        }),
        svg(
          'text',
          { x: margin.left - 6, y: y(value) + 4, class: 'chart-text', 'text-anchor': 'end' },
          fmt(value),
        ),
      );
    }
    // Month labels: as many as fit at this width.
    const every = Math.max(1, Math.ceil(points.length / Math.max(1, Math.floor(plotWidth / 44))));
    for (const [i, p] of points.entries()) {
      if (i % every !== 0 && i !== points.length - 1) continue;
      out.append(
        svg(
          'text',
          { x: x(i), y: height - 8, class: 'chart-text', 'text-anchor': 'middle' },
          p.month.slice(5),
        ),
      );
    }
    if (reference) {
      const ry = y(reference.value);
      out.append(
        svg('line', { x1: margin.left, x2: width - margin.right, y1: ry, y2: ry, class: 'ref-line' }),
        svg(
          'text',
          { x: width - margin.right, y: ry - 6, class: 'chart-text', 'text-anchor': 'end' },
          reference.label,
        ),
      );
    }
    if (points.length > 0) {
      out.append(
        svg('polyline', {
          points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(' '),
          class: 'trend-line',
        }),
      );
      for (const [i, p] of points.entries())
        out.append(svg('circle', { cx: x(i), cy: y(p.value), r: 3.5, class: 'trend-point' }));
    }
    return out;
  });
}

/** About how wide a label is at the charts' 13 px: CJK characters a full em, others about half. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 13 : 7.4;
  return w;
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
export function niceMax(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * power >= n) return m * power;
  return 10 * power;
}
