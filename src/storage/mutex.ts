/**
 * A first-come first-served lock for async code. Storage transactions hold it while their callback
 * runs (which may await), so that no two transactions interleave; they release it before waiting for
 * their commit to become durable, which is what lets many commits share one fsync.
 */
export class Mutex {
  private held = false;
  // A queue with a moving head: Array#shift is O(n), and thousands of transactions can be waiting.
  private waiters: (() => void)[] = [];
  private head = 0;

  /** Resolves once the caller holds the lock; it must call `release()` exactly once afterwards. */
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock to the longest waiter, or frees it. */
  release(): void {
    if (!this.held) throw new Error("Mutex.release() without acquire()");
    const next = this.waiters[this.head];
    if (next === undefined) {
      this.held = false;
      this.waiters.length = 0;
      this.head = 0;
      return;
    }
    this.waiters[this.head] = noop; // drop the reference; the slot goes when the queue empties or compacts
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    next(); // `held` stays true: ownership passes straight to the waiter
  }
}

function noop(): void {}
