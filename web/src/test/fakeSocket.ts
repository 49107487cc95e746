// A stand-in for socket.io-client's Socket in hook unit tests: records what the hook emits,
// answers acks through per-event responders, and lets the test play server events.
type Fn = (...args: any[]) => void;

export class FakeSocket {
  connected = false;
  auth: unknown = {};
  connectCalls = 0;
  disconnectCalls = 0;
  readonly emitted: { event: string; args: unknown[] }[] = [];
  /** Ack answers by event; an event without one never answers (a timeout). */
  readonly responders: Record<string, (...args: any[]) => unknown> = {};
  private readonly handlers = new Map<string, Set<Fn>>();

  on(event: string, fn: Fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(fn);
    return this;
  }

  off(event: string, fn?: Fn) {
    if (fn) this.handlers.get(event)?.delete(fn);
    else this.handlers.delete(event);
    return this;
  }

  listeners(event: string) {
    return [...(this.handlers.get(event) ?? [])];
  }

  emit(event: string, ...args: unknown[]) {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args.pop();
      this.emitted.push({ event, args });
      const r = this.responders[event];
      if (r) {
        const answer = r(...args);
        queueMicrotask(() => (last as Fn)(answer));
      }
      return this;
    }
    this.emitted.push({ event, args });
    return this;
  }

  timeout(_ms: number) {
    return {
      emit: (event: string, ...args: unknown[]) => {
        const cb = args.pop() as Fn;
        this.emitted.push({ event, args });
        const r = this.responders[event];
        if (r) {
          const answer = r(...args);
          queueMicrotask(() => cb(null, answer));
        }
      },
    };
  }

  connect() {
    this.connectCalls++;
    return this;
  }

  disconnect() {
    this.disconnectCalls++;
    this.connected = false;
    return this;
  }

  /** Plays an event from the server (or a reserved one: connect, disconnect, connect_error). */
  fire(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const fn of this.listeners(event)) fn(...args);
  }

  sent(event: string) {
    return this.emitted.filter((e) => e.event === event).map((e) => e.args);
  }
}
