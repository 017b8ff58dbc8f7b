import { Batcher } from "../../src/batch/batcher";
import type { Observation } from "../../src/observation";

const obs = (i: number): Observation => ({
  observedAt: new Date(1_620_000_000_000 + i * 1000),
  source: "s",
  location: "l",
  temperatureC: 20,
  pm10Ugm3: 30,
  pm25Ugm3: 15,
  ozonePpm: 0.03,
});

function recorder(delayMs = 0) {
  const batches: number[][] = [];
  let active = 0;
  let maxActive = 0;
  const write = async (rows: Observation[]) => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((r) => setTimeout(r, delayMs));
    batches.push(rows.map((r) => r.observedAt.getTime()));
    active--;
  };
  return { batches, write, maxActive: () => maxActive };
}

describe("Batcher", () => {
  it("writes full batches at once, one at a time, in order", async () => {
    const rec = recorder(5);
    const b = new Batcher(rec.write, { size: 3, maxWaitMs: 10_000, maxBuffered: 100 });
    for (let i = 0; i < 10; i++) await b.add(obs(i));
    await b.close();
    expect(rec.batches.map((x) => x.length)).toEqual([3, 3, 3, 1]);
    expect(rec.batches.flat()).toEqual(Array.from({ length: 10 }, (_, i) => obs(i).observedAt.getTime()));
    expect(rec.maxActive()).toBe(1);
  });

  it("writes a partial batch after maxWaitMs", async () => {
    const rec = recorder();
    const b = new Batcher(rec.write, { size: 100, maxWaitMs: 30, maxBuffered: 1000 });
    await b.add([obs(1), obs(2)]);
    expect(rec.batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(rec.batches).toEqual([[obs(1).observedAt.getTime(), obs(2).observedAt.getTime()]]);
    await b.close();
  });

  it("close() waits for the batch in flight and writes everything buffered", async () => {
    const rec = recorder(50);
    const b = new Batcher(rec.write, { size: 2, maxWaitMs: 10_000, maxBuffered: 1000 });
    await b.add([obs(1), obs(2), obs(3)]); // one batch in flight, one row buffered
    await b.close();
    expect(rec.batches.flat()).toHaveLength(3);
    await expect(b.add(obs(4))).rejects.toThrow("closed");
  });

  it("holds producers back while the buffer is full", async () => {
    const rec = recorder(40);
    const b = new Batcher(rec.write, { size: 2, maxWaitMs: 10_000, maxBuffered: 4 });
    let resolved = false;
    const adding = b.add([obs(1), obs(2), obs(3), obs(4), obs(5), obs(6)]).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    await adding;
    expect(b.buffered).toBeLessThan(4);
    await b.close();
    expect(rec.batches.flat()).toHaveLength(6);
  });
});
