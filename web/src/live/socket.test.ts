// Against a real WebSocket server (the `ws` package) on a free port: no mock socket.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';

import { LiveSocket, subscriptionName } from './socket';

type Seen = { auth: string[]; subscribed: string[][] };

async function startServer() {
  const server = new WebSocketServer({ port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const seen: Seen = { auth: [], subscribed: [] };
  const clients: ServerSocket[] = [];
  server.on('connection', (socket) => {
    clients.push(socket);
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; token?: string; channels?: string[] };
      if (message.type === 'auth') seen.auth.push(message.token ?? '');
      if (message.type === 'subscribe') seen.subscribed.push(message.channels ?? []);
    });
  });
  const port = (server.address() as { port: number }).port;
  return { server, seen, clients, url: `ws://127.0.0.1:${port}/api/v1/ws` };
}

const until = async (check: () => boolean, ms = 4000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

let stop: (() => void) | null = null;
afterEach(() => stop?.());

describe('subscriptionName', () => {
  it('maps the server’s channel names back to what was subscribed', () => {
    expect(subscriptionName('orders:3f2a')).toBe('orders');
    expect(subscriptionName('notifications:3f2a')).toBe('notifications');
    expect(subscriptionName('scenario:default')).toBe('clock');
    expect(subscriptionName('scenario:ab-12')).toBe('clock@ab-12');
    expect(subscriptionName('quotes:SPX')).toBe('quotes:SPX');
    expect(subscriptionName('breakers@ab-12')).toBe('breakers@ab-12');
  });
});

describe('LiveSocket', () => {
  it('authenticates by message, delivers channel messages, and resubscribes after a drop', async () => {
    const { server, seen, clients, url } = await startServer();
    const statuses: string[] = [];
    let reconnected = 0;
    const live = new LiveSocket({
      url,
      getToken: () => 'token-1',
      refresh: async () => true,
      dispatch: (action) => statuses.push((action as { payload: { status: string } }).payload.status),
      onReconnected: () => reconnected++,
    });
    stop = () => {
      live.stop();
      server.close();
    };
    const received: unknown[] = [];
    live.subscribe('quotes:SPX', (message) => received.push(message));
    live.start();
    await until(() => seen.subscribed.length === 1);
    expect(seen.auth).toEqual(['token-1']);
    expect(seen.subscribed[0]).toEqual(['quotes:SPX']);

    clients[0]!.send(JSON.stringify({ type: 'message', channel: 'quotes:SPX', data: { type: 'quote', last: '1.5' } }));
    clients[0]!.send(JSON.stringify({ type: 'message', channel: 'quotes:IXIC', data: { type: 'quote', last: '9' } }));
    await until(() => received.length === 1);
    expect(received).toEqual([{ type: 'quote', last: '1.5' }]);

    clients[0]!.terminate(); // the network drops
    await until(() => seen.subscribed.length === 2);
    expect(seen.subscribed[1]).toEqual(['quotes:SPX']);
    await until(() => reconnected === 1);
    expect(statuses).toContain('offline');
    expect(statuses.at(-1)).toBe('online');
  });

  it('refreshes the token when the server says it expired (close code 4401)', async () => {
    const { server, seen, clients, url } = await startServer();
    let token = 'old';
    const live = new LiveSocket({
      url,
      getToken: () => token,
      refresh: async () => {
        token = 'new';
        return true;
      },
      dispatch: () => undefined,
      onReconnected: () => undefined,
    });
    stop = () => {
      live.stop();
      server.close();
    };
    live.start();
    await until(() => seen.auth.length === 1);
    clients[0]!.close(4401, 'token expired');
    await until(() => seen.auth.length === 2);
    expect(seen.auth).toEqual(['old', 'new']);
  });
});
