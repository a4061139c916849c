import { createContext, useContext, useEffect } from 'react';

import { useScenarioId } from './session';

/** The market (scenario) a page is about, when it is not the current account's: a class's market. */
export type PageMarket = { scenarioId: string; name: string };

type Shown = { market: PageMarket | null; show: (market: PageMarket | null) => void };

/** Provided by the layout: the header's market date follows the page's market. */
export const PageMarketContext = createContext<Shown>({ market: null, show: () => undefined });

/**
 * Called by a page about another market than the account's (a teacher's class page): while the page
 * is open, the header shows that market's date, with its name, instead of the account's.
 */
export function useShowMarket(market: PageMarket | undefined): void {
  const { show } = useContext(PageMarketContext);
  const scenarioId = market?.scenarioId;
  const name = market?.name;
  useEffect(() => {
    if (!scenarioId || name === undefined) return undefined;
    show({ scenarioId, name });
    return () => show(null);
  }, [show, scenarioId, name]);
}

/** The market of what is on screen: the page's, else the current account's. */
export function useShownMarket(): { scenarioId: string; name: string | null } {
  const { market } = useContext(PageMarketContext);
  const accountScenario = useScenarioId();
  return market ?? { scenarioId: accountScenario, name: null };
}
