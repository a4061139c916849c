import { createChart, ColorType, type IChartApi, type DeepPartial, type ChartOptions } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';

import { useAppSelector } from '../../app/hooks';

/** A lightweight-charts chart in a div, following the theme and the div's width. */
export function useChart(height: number, options: DeepPartial<ChartOptions> = {}) {
  const container = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<IChartApi | null>(null);
  const dark = useAppSelector((state) => state.ui.theme === 'dark');
  useEffect(() => {
    if (!container.current) return;
    const made = createChart(container.current, {
      height,
      autoSize: true,
      timeScale: { borderVisible: false },
      rightPriceScale: { borderVisible: false },
      ...options,
    });
    setChart(made);
    return () => {
      setChart(null);
      // After the series' own cleanups (declared later, run later): they remove their series first.
      queueMicrotask(() => made.remove());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [height]);
  useEffect(() => {
    chart?.applyOptions({
      layout: {
        background: { type: ColorType.Solid, color: 'transparent' },
        textColor: dark ? '#cbd5e1' : '#334155',
        attributionLogo: false,
      },
      grid: {
        vertLines: { color: dark ? '#1e293b' : '#f1f5f9' },
        horzLines: { color: dark ? '#1e293b' : '#f1f5f9' },
      },
    });
  }, [chart, dark]);
  return { container, chart };
}

/** Seconds since the epoch, as lightweight-charts wants a time. */
export function toTime(iso: string) {
  return Math.floor(new Date(iso).getTime() / 1000) as import('lightweight-charts').UTCTimestamp;
}
