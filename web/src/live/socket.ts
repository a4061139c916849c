// One WebSocket for the whole app: it authenticates with a first message (the token never
// appears in a URL), reference-counts channel subscriptions, resubscribes after every
// reconnect (exponential backoff with jitter), refreshes an expired token and hands every
// message to the listeners of its channel.
import { backoffDelay } from './backoff';
import { statusChanged } from './liveSlice';

export type LiveMessage = { type: string; [key: string]: unknown };

const PRIVATE = ['orders', 'accounts', 'notifications'];
/** How long a revoked socket waits for a new token pair that may be on its way over HTTP. */
const TOKEN_SETTLE_MS = 400;

/** The name a message's channel was subscribed under: the server sends the caller's own
 * channels as `orders:<user id>` and a scenario's clock as `scenario:<id>`. */
export function subscriptionName(channel: string): string {
  const [kind, rest] = [channel.split(':', 1)[0]!, channel.slice(channel.indexOf(':') + 1)];
  if (PRIVATE.includes(kind) && channel.includes(':')) return kind;
  if (kind === 'scenario' && channel.includes(':')) return rest === 'default' ? 'clock' : `clock@${rest}`;
  return channel;
}
type Listener = (data: LiveMessage) => void;

export type SocketDeps = {
  getToken: () => string | null;
  /** Refresh the session; false when it has ended. */
  refresh: () => Promise<boolean>;
  dispatch: (action: unknown) => unknown;
  /** Called after a reconnect so cached reads can catch up with what was missed. */
  onReconnected: () => void;
  url?: string;
};

export class LiveSocket {
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private everOpened = false;

  constructor(private readonly deps: SocketDeps) {}

  start(): void {
    this.wanted = true;
    if (!this.socket && !this.timer) this.connect();
  }

  stop(): void {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close(1000, 'signed out');
    this.socket = null;
    this.everOpened = false;
    this.deps.dispatch(statusChanged({ status: 'idle' }));
  }

  /** Listen to a channel; returns the function that stops listening. */
  subscribe(channel: string, listener: Listener): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.send({ type: 'subscribe', channels: [channel] });
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(channel);
        this.send({ type: 'unsubscribe', channels: [channel] });
      }
    };
  }

  /** Close the connection as a network drop would (tests and the "reconnect" button use it). */
  drop(): void {
    this.socket?.close(4000, 'dropped');
  }

  private url(): string {
    if (this.deps.url) return this.deps.url;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${window.location.host}/api/v1/ws`;
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private connect(): void {
    this.timer = null;
    const token = this.deps.getToken();
    if (!this.wanted || !token) return;
    this.deps.dispatch(statusChanged({ status: this.everOpened ? 'offline' : 'connecting' }));
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'auth', token }));
      const channels = [...this.listeners.keys()];
      if (channels.length) socket.send(JSON.stringify({ type: 'subscribe', channels }));
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.deps.dispatch(statusChanged({ status: 'online' }));
      if (reconnected) this.deps.onReconnected();
    };
    socket.onmessage = (event: MessageEvent<string>) => {
      let message: { type?: string; channel?: string; data?: LiveMessage };
      try {
        message = JSON.parse(event.data) as typeof message;
      } catch {
        return;
      }
      if (message.type !== 'message' || !message.channel || !message.data) return;
      for (const listener of this.listeners.get(subscriptionName(message.channel)) ?? []) listener(message.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (!this.wanted) return;
      if (event.code === 4401) {
        // The token expired or was revoked. When the app already holds a newer one (a password
        // change or turning 2FA on answers with a new pair as it revokes the old), use it;
        // otherwise refresh first. Either way, reconnect straight away.
        setTimeout(() => {
          if (this.deps.getToken() !== token) {
            this.schedule(0);
            return;
          }
          void this.deps.refresh().then((ok) => {
            if (ok) this.schedule(0);
            else this.stop();
          });
        }, TOKEN_SETTLE_MS);
        return;
      }
      this.schedule(backoffDelay(this.attempt++));
    };
  }

  private schedule(delayMs: number): void {
    this.deps.dispatch(statusChanged({ status: 'offline', retryInMs: delayMs }));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delayMs);
  }
}
