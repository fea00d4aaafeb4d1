// A uPlot time-series chart as a React component: created once, data updated in place, resized with
// its container. uPlot draws on canvas, so thousands of points stay cheap.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

/** One line of a chart. `band` pairs this series with another to shade between them (an interval). */
export interface ChartSeries {
  label: string;
  color: string;
  dash?: number[];
  fill?: string;
}

/** A chart of `data` (x column first, then one column per series) with an optional shaded band. */
export function Chart({
  title,
  series,
  data,
  band,
  height = 180,
  testId,
  theme,
}: {
  title: string;
  series: readonly ChartSeries[];
  data: uPlot.AlignedData;
  band?: { upper: number; lower: number; fill: string };
  height?: number;
  testId?: string;
  /** The page theme: the chart is redrawn with the theme's text colour when it changes. */
  theme: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: built once per theme; data updates below.
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    // Canvas needs real colours: take the themed text colour from CSS (tokens), not 'currentColor'.
    const ink = getComputedStyle(element).color;
    const grid = { stroke: 'rgba(128,128,128,0.2)', width: 1 };
    const options: uPlot.Options = {
      width: element.clientWidth || 400,
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // At least a minute of axis, so the first samples do not stretch over a meaningless range.
        x: {
          time: true,
          range: (_u, min, max) => {
            const end = Number.isFinite(max) ? max : Date.now() / 1000;
            return Number.isFinite(min) && end - min >= 60 ? [min, end] : [end - 60, end + 1];
          },
        },
      },
      axes: [
        { stroke: ink, grid, ticks: grid },
        { stroke: ink, grid, ticks: grid, size: 56 },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash,
          fill: s.fill,
          spanGaps: true,
          points: { show: true, size: 5 },
        })),
      ],
      bands: band ? [{ series: [band.upper, band.lower], fill: band.fill }] : [],
    };
    const chart = new uPlot(options, data, element);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [theme]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} className="chart-canvas" />
    </figure>
  );
}
