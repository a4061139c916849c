import { LineSeries } from 'lightweight-charts';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { wholeMoney } from '../format';
import { toTime, useChart } from './useChart';

export type Point = { time: string; value: number };

/** The account's equity against its scenario's index, the index scaled to start at the same value. */
export default function EquityChart({ equity, index, indexName }: { equity: Point[]; index: Point[]; indexName: string }) {
  const { t } = useTranslation();
  // A lambda: the chart passes more than the price, which `wholeMoney` would take for a currency.
  const { container, chart } = useChart(260, { localization: { priceFormatter: (value: number) => wholeMoney(value) } });
  useEffect(() => {
    if (!chart || equity.length === 0) return;
    const mine = chart.addSeries(LineSeries, { color: '#0f766e', lineWidth: 2, title: t('dashboard.equity') });
    mine.setData(dedupe(equity));
    const first = equity[0]!;
    const start = index.find((point) => point.time >= first.time.slice(0, 10)) ?? index[0];
    let theirs: ReturnType<typeof chart.addSeries> | null = null;
    if (start && start.value > 0) {
      const scale = first.value / start.value;
      theirs = chart.addSeries(LineSeries, { color: '#94a3b8', lineWidth: 1, title: indexName });
      theirs.setData(dedupe(index.filter((point) => point.time >= start.time).map((point) => ({ time: point.time, value: point.value * scale }))));
    }
    chart.timeScale().fitContent();
    return () => {
      chart.removeSeries(mine);
      if (theirs) chart.removeSeries(theirs);
    };
  }, [chart, equity, index, indexName, t]);
  // The caption is the page's (DashboardPage): it shows at once, before this chunk arrives.
  return <div ref={container} role="img" aria-label={t('dashboard.equityChart', { index: indexName })} />;
}

/** One value per second, in time order (the chart refuses repeated times). */
function dedupe(points: Point[]) {
  const byTime = new Map<number, number>();
  for (const point of points) byTime.set(toTime(point.time), point.value);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time: time as ReturnType<typeof toTime>, value }));
}
