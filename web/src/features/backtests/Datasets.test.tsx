import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { fakeServer, signedInStore } from '../../test/fakeServer';
import Datasets, { datasetName } from './Datasets';

const CSV = 'Date,Open,High,Low,Close\n2020-01-02,1,2,0.5,1.5\n2020-01-03,1.5,2,1,1.8\n';

afterEach(() => vi.unstubAllGlobals());

describe('datasetName', () => {
  it('turns a file’s name into one the server accepts, keeping its extension', () => {
    expect(datasetName('SPX prices (2).csv')).toBe('SPX-prices-2.csv');
    expect(datasetName('a..b.CSV')).toBe('a.b.csv');
    expect(datasetName('.hidden.parquet')).toBe('hidden.parquet');
    expect(datasetName('€€€.csv')).toBe('prices.csv');
    expect(datasetName('notes.txt')).toBe('notes.txt'); // the server explains why not
  });
});

describe('Datasets', () => {
  it('uploads the chosen file under a name the server accepts and lists it', async () => {
    const stored: { name: string; size: number; uploaded_at: string }[] = [];
    const sent = fakeServer({
      '/api/v1/backtests/datasets': () => [200, stored],
      '/api/v1/backtests/datasets/my-prices.csv': (body) => {
        const item = { name: 'my-prices.csv', size: String(body).length, uploaded_at: '2026-12-06T10:00:00Z' };
        stored.push(item);
        return [201, item];
      },
    });
    render(<Provider store={signedInStore()}><Datasets /></Provider>);
    expect(await screen.findByText('No files yet.')).toBeTruthy();
    const upload = screen.getByRole('button', { name: 'Upload' }) as HTMLButtonElement;
    expect(upload.disabled).toBe(true); // nothing chosen yet

    await userEvent.upload(screen.getByLabelText('File'), new File([CSV], 'my prices.csv', { type: 'text/csv' }));
    await userEvent.click(upload);
    expect((await screen.findByRole('status')).textContent).toBe('Uploaded as my-prices.csv. Pick it under History to test it.');
    const put = sent.find((request) => request.method === 'PUT');
    expect(put?.url).toBe('/api/v1/backtests/datasets/my-prices.csv');
    expect(put?.body).toBe(CSV);
    const row = await screen.findByTestId('dataset');
    expect(within(row).getByText('my-prices.csv')).toBeTruthy();
    expect(row.textContent).toContain(`${CSV.length} bytes`); // the size the server stored
  });

  it('shows the server’s reason when a file is refused, and keeps the choice', async () => {
    fakeServer({
      '/api/v1/backtests/datasets': () => [200, []],
      '/api/v1/backtests/datasets/prices.csv': () => [422, {
        type: '/problems/validation-error', title: 'Unprocessable Content', status: 422,
        detail: 'dataset \'prices.csv\' has 1 usable bar(s); at least 2',
      }],
    });
    render(<Provider store={signedInStore()}><Datasets /></Provider>);
    await userEvent.upload(await screen.findByLabelText('File'), new File(['Date,Open,High,Low,Close\n'], 'prices.csv', { type: 'text/csv' }));
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('at least 2'));
    expect((screen.getByRole('button', { name: 'Upload' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
