// A Node preload (`node --import ./tests/support/skewed-clock.mjs`) that moves this process's
// clock by CLOCK_SKEW_MS (Date.now and new Date()), to prove that what must agree across
// processes (job leases) does not read a process's own clock.
const skew = Number(process.env.CLOCK_SKEW_MS ?? 0);
if (skew) {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }
    static now() {
      return RealDate.now() + skew;
    }
  }
  globalThis.Date = SkewedDate;
}
