import { CandlestickSeries, HistogramSeries, LineSeries } from 'lightweight-charts';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import type { BarOut, RegimeChangeOut } from '../../api/generated';
import { toTime, useChart } from './useChart';

const REGIME_COLOR: Record<string, string> = {
  LOW: 'rgba(14,165,233,0.12)',
  NORMAL: 'rgba(16,185,129,0.08)',
  HIGH: 'rgba(245,158,11,0.18)',
  EXTREME: 'rgba(244,63,94,0.22)',
};

/** Annualized volatility of the last `window` daily log returns, per bar (from the bars shown). */
export function rollingVolatility(closes: number[], window = 21): (number | null)[] {
  const returns = closes.map((close, i) => (i === 0 ? 0 : Math.log(close / closes[i - 1]!)));
  return closes.map((_, i) => {
    if (i < window) return null;
    const slice = returns.slice(i - window + 1, i + 1);
    const mean = slice.reduce((a, b) => a + b, 0) / window;
    const variance = slice.reduce((a, b) => a + (b - mean) ** 2, 0) / (window - 1);
    return Math.sqrt(variance * 252);
  });
}

/** The regime in force at each bar, from the list of regime changes. */
export function regimeAt(bars: BarOut[], changes: RegimeChangeOut[]): (string | null)[] {
  const sorted = [...changes].sort((a, b) => a.at.localeCompare(b.at));
  let index = 0;
  let current: string | null = null;
  return bars.map((bar) => {
    while (index < sorted.length && sorted[index]!.at <= bar.time) current = sorted[index++]!.to_regime;
    return current;
  });
}

/** Candles with regime shading behind them, and the volatility in a second pane. */
export default function InstrumentChart({ bars, changes, symbol }: { bars: BarOut[]; changes: RegimeChangeOut[]; symbol: string }) {
  const { t } = useTranslation();
  const { container, chart } = useChart(420);
  useEffect(() => {
    if (!chart || bars.length === 0) return;
    const times = bars.map((bar) => toTime(bar.time));
    const regimes = regimeAt(bars, changes);
    const shading = chart.addSeries(HistogramSeries, { priceScaleId: 'regime', lastValueVisible: false, priceLineVisible: false });
    shading.priceScale().applyOptions({ visible: false, scaleMargins: { top: 0, bottom: 0 } });
    shading.setData(times.map((time, i) => ({ time, value: 1, color: REGIME_COLOR[regimes[i] ?? ''] ?? 'rgba(0,0,0,0)' })));
    const candles = chart.addSeries(CandlestickSeries, { upColor: '#059669', downColor: '#e11d48', wickUpColor: '#059669', wickDownColor: '#e11d48', borderVisible: false });
    candles.setData(bars.map((bar, i) => ({ time: times[i]!, open: +bar.open, high: +bar.high, low: +bar.low, close: +bar.close })));
    const vol = chart.addSeries(LineSeries, { color: '#7c3aed', lineWidth: 2, title: t('instrument.volatility'), priceFormat: { type: 'percent' } }, 1);
    const volatility = rollingVolatility(bars.map((bar) => +bar.close));
    vol.setData(times.flatMap((time, i) => (volatility[i] === null ? [] : [{ time, value: volatility[i]! * 100 }])));
    chart.panes()[1]?.setHeight(110);
    chart.timeScale().fitContent();
    return () => {
      chart.removeSeries(vol);
      chart.removeSeries(candles);
      chart.removeSeries(shading);
    };
  }, [chart, bars, changes, t]);
  return (
    <figure>
      <div ref={container} role="img" aria-label={t('instrument.chartLabel', { symbol })} />
      <figcaption className="mt-2 flex flex-wrap gap-3 text-sm text-slate-600 dark:text-slate-300">
        <span>{t('instrument.chartCaption')}</span>
        {Object.keys(REGIME_COLOR).map((regime) => (
          <span key={regime} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm border border-slate-300" style={{ background: REGIME_COLOR[regime] }} />
            {t(`regime.${regime}`)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
