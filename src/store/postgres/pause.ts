/** The waits of a reconnect loop: `wake()` (on close) ends the current one at once, so closing never waits them out. */
export class Pause {
  private wakeCurrent: (() => void) | undefined;

  for(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeCurrent = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  wake(): void {
    this.wakeCurrent?.();
  }
}
