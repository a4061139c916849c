import { AreaSeries, LineSeries } from 'lightweight-charts';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import type { BacktestEquityPointOut } from '../../api/generated';
import { toTime, useChart } from './useChart';

/** Equity on top, drawdown below, on one date axis. */
export default function BacktestCharts({ points }: { points: BacktestEquityPointOut[] }) {
  const { t } = useTranslation();
  const { container, chart } = useChart(380);
  useEffect(() => {
    if (!chart || points.length === 0) return;
    const equity = chart.addSeries(LineSeries, { color: '#0f766e', lineWidth: 2, title: t('backtests.equity') });
    equity.setData(points.map((point) => ({ time: toTime(point.time), value: point.equity })));
    const drawdown = chart.addSeries(AreaSeries, { lineColor: '#e11d48', topColor: 'rgba(225,29,72,0.05)', bottomColor: 'rgba(225,29,72,0.35)', title: t('backtests.drawdown'), priceFormat: { type: 'percent' } }, 1);
    drawdown.setData(points.map((point) => ({ time: toTime(point.time), value: point.drawdown * 100 })));
    chart.panes()[1]?.setHeight(120);
    chart.timeScale().fitContent();
    return () => {
      chart.removeSeries(drawdown);
      chart.removeSeries(equity);
    };
  }, [chart, points, t]);
  return (
    <figure>
      <div ref={container} role="img" aria-label={t('backtests.chartLabel')} data-testid="backtest-chart" />
      <figcaption className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t('backtests.chartCaption')}</figcaption>
    </figure>
  );
}
