/** Prints how long each phase of an end-to-end run took, and a summary at the end. */
export class Phases {
  private readonly done: [string, number][] = [];

  constructor(private readonly suite: string) {}

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await work();
    } finally {
      const seconds = (Date.now() - start) / 1000;
      this.done.push([name, seconds]);
      process.stdout.write(`[${this.suite}] ${name}: ${seconds.toFixed(1)}s\n`);
    }
  }

  summary(): string {
    return this.done.map(([n, s]) => `  ${n.padEnd(48)} ${s.toFixed(1).padStart(7)}s`).join("\n");
  }
}
