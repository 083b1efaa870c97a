import 'uplot/dist/uPlot.min.css';

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

import { t } from '../i18n';

const dayFormat = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'short' });
const numberLabel = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
/** An axis or legend date (seconds since the epoch) as `2 нояб.`. */
const dayLabel = (seconds: number) => dayFormat.format(new Date(seconds * 1000));

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A line chart of series over dates (uPlot), sized to its container; the same figures are
 * available as a table for screen readers (`summary`).
 */
export function LineChart(props: {
  title: string;
  dates: string[];
  series: Series[];
  summary: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || props.dates.length === 0) return;
    const xs = props.dates.map((d) => Date.parse(d) / 1000);
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 220,
        scales: { x: { time: true } },
        series: [
          { label: t('common.date'), value: (_u, v) => (v == null ? '—' : dayLabel(v)) },
          ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 2 })),
        ],
        axes: [
          { values: (_u, splits) => splits.map(dayLabel) },
          { size: 80, values: (_u, splits) => splits.map((v) => numberLabel.format(v)) },
        ],
      },
      [xs, ...props.series.map((s) => s.values)],
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [props.dates, props.series]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={props.summary} />
    </figure>
  );
}
