import type { SerializedError } from '@reduxjs/toolkit';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { useEffect } from 'react';

import { useListAccountsQuery, useMeQuery, type AccountOut } from '../api/generated';
import { useAppDispatch, useAppSelector } from './hooks';
import { accountChosen } from './uiSlice';

export function useSignedIn(): boolean {
  return useAppSelector((state) => Boolean(state.auth.refreshToken));
}

export function useMe() {
  const signedIn = useSignedIn();
  return useMeQuery(undefined, { skip: !signedIn });
}

/** The account the learner is looking at (the first one until they pick another), all their accounts, and how reading them went. */
export function useCurrentAccount(): {
  account: AccountOut | undefined;
  accounts: AccountOut[];
  isLoading: boolean;
  error: FetchBaseQueryError | SerializedError | undefined;
} {
  const signedIn = useSignedIn();
  const { data: accounts = [], isLoading, error } = useListAccountsQuery(undefined, { skip: !signedIn });
  const chosen = useAppSelector((state) => state.ui.accountId);
  const dispatch = useAppDispatch();
  const account = accounts.find((each) => each.id === chosen) ?? accounts[0];
  useEffect(() => {
    if (account && account.id !== chosen) dispatch(accountChosen(account.id));
  }, [account, chosen, dispatch]);
  return { account, accounts, isLoading, error };
}

/** The scenario (market) of the current account; the default one before any account exists. */
export function useScenarioId(): string {
  return useCurrentAccount().account?.scenario_id ?? 'default';
}
