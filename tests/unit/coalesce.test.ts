import { describe, expect, it } from "vitest";
import { coalesce } from "../../app/utils/coalesce";

/** A batched call that records each batch it was given and can be told to refuse some items. */
function recorder(refuse: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  let release: (() => void) | undefined;
  let held = false;
  const many = async (items: number[]) => {
    batches.push(items);
    if (held) await new Promise<void>((resolve) => (release = resolve));
    if (items.some(refuse)) throw new Error(`refused ${items.filter(refuse).join(",")}`);
    return items.map((n) => n * 10);
  };
  return {
    batches,
    many,
    hold: () => (held = true),
    release: () => {
      held = false;
      release?.();
    },
  };
}

describe("coalesce", () => {
  it("serves the calls made in one turn with one batched call, each caller its own result", async () => {
    const r = recorder();
    const one = coalesce(r.many);
    const results = await Promise.all([1, 2, 3, 4].map((n) => one(n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(r.batches).toEqual([[1, 2, 3, 4]]);
  });

  it("gathers the calls made while a batch is in flight into the next one", async () => {
    const r = recorder();
    const one = coalesce(r.many);
    r.hold();
    const first = one(1);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is sent and held
    const later = [2, 3, 4].map((n) => one(n));
    r.release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
  });

  it("splits a turn's calls into batches of at most `max`", async () => {
    const r = recorder();
    const one = coalesce(r.many, { max: 2 });
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => one(n)))).toEqual([10, 20, 30, 40, 50]);
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("fails only the caller whose item fails: a refused batch is retried item by item", async () => {
    const r = recorder((n) => n === 3);
    const one = coalesce(r.many);
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => one(n)));
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual([10, 20, "refused 3", 40]);
    expect(r.batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it("treats a batch that answers the wrong number of results as failed, and goes on serving calls", async () => {
    let calls = 0;
    const one = coalesce(async (items: number[]) => {
      calls++;
      return items.length > 1 ? [0] : items;
    });
    expect(await Promise.all([7, 8].map((n) => one(n)))).toEqual([7, 8]);
    expect(calls).toBe(3);
    expect(await one(9)).toBe(9);
  });
});
