// A model of what the burn-rate alerts should do under synthetic traffic, computed from the SLO definition
// alone: the promtool tests compare Prometheus's real evaluation of the generated rules against it.
import { MIN_REQUESTS_IN_LONG_WINDOW, type BurnRateWindow } from '../slo/burn-rate-windows';
import { durationSeconds } from '../slo/duration';
import type { SloDefinition } from '../slo/slo-definition';

/** Steady synthetic traffic in which a share of requests turns bad at `onsetMinute`. */
export interface BurnScenario {
  /** Name shown in the promtool test output. */
  readonly name: string;
  /** Requests per minute, constant over the whole scenario. */
  readonly requestsPerMinute: number;
  /** Share of bad requests from `onsetMinute` on (none before). */
  readonly badShare: number;
  /** Minute at which requests start to go bad; the minutes before are healthy history. */
  readonly onsetMinute: number;
  /** Length of the scenario in minutes. */
  readonly durationMinutes: number;
}

/** When one burn-rate row of an SLO should start firing in a scenario. */
export interface ExpectedFiring {
  /** The row. */
  readonly window: BurnRateWindow;
  /** Minute from which the row fires, or undefined if it never does within the scenario. */
  readonly firesAtMinute: number | undefined;
}

const minutes = (duration: string): number => durationSeconds(duration) / 60;

/** Share of bad requests over the `windowMinutes` ending at minute `t`, counting only history that exists. */
export function windowBadShare(scenario: BurnScenario, t: number, windowMinutes: number): number {
  const bad = scenario.badShare * Math.max(0, Math.min(t - scenario.onsetMinute, windowMinutes));
  return bad / Math.min(windowMinutes, t);
}

/** Returns, per burn-rate row, the first minute at which it fires: both windows over the threshold and enough traffic, for `for`. */
export function expectedFirings(slo: SloDefinition, scenario: BurnScenario): ExpectedFiring[] {
  return slo.burnRateWindows.map((window) => {
    const threshold = window.factor * slo.errorBudget;
    const long = minutes(window.long);
    const short = minutes(window.short);
    for (let t = 1; t <= scenario.durationMinutes; t++) {
      const enoughTraffic = scenario.requestsPerMinute * Math.min(long, t) >= MIN_REQUESTS_IN_LONG_WINDOW;
      if (
        enoughTraffic &&
        windowBadShare(scenario, t, long) > threshold &&
        windowBadShare(scenario, t, short) > threshold
      ) {
        const firesAt = t + minutes(window.for);
        return { window, firesAtMinute: firesAt <= scenario.durationMinutes ? firesAt : undefined };
      }
    }
    return { window, firesAtMinute: undefined };
  });
}

/** Minutes around a transition the model may be off by (rate extrapolation, evaluation steps). */
export const MODEL_MARGIN_MINUTES = 3;

/**
 * Returns the minutes at which to check a scenario: just before and just after every expected transition,
 * dropping any that falls too close to another row's transition to be unambiguous, plus the end.
 */
export function checkMinutes(firings: readonly ExpectedFiring[], scenario: BurnScenario): number[] {
  const transitions = firings.flatMap((f) => (f.firesAtMinute === undefined ? [] : [f.firesAtMinute]));
  const candidates = transitions.flatMap((t) => [t - MODEL_MARGIN_MINUTES, t + MODEL_MARGIN_MINUTES]);
  // Without transitions, show silence after each long window has filled with bad requests.
  const quiet = firings.map((f) => scenario.onsetMinute + minutes(f.window.long) + minutes(f.window.for));
  const all = [...candidates, ...quiet, scenario.durationMinutes]
    .filter((t) => t > 0 && t <= scenario.durationMinutes)
    .filter((t) => transitions.every((transition) => Math.abs(t - transition) >= MODEL_MARGIN_MINUTES));
  return [...new Set(all)].sort((a, b) => a - b);
}

/** Returns the four scenarios every SLO is tested with, scaled by its budget and burn-rate factors. */
export function burnScenarios(slo: SloDefinition): BurnScenario[] {
  const factors = slo.burnRateWindows.map((w) => w.factor);
  const pageLongMinutes = slo.burnRateWindows
    .filter((w) => w.severity === 'page')
    .map((w) => minutes(w.long));
  // Healthy history as long as the longest short window, so every short window starts clean.
  const onsetMinute = Math.max(...slo.burnRateWindows.map((w) => minutes(w.short)));
  const busy = 100;
  const fast = slo.errorBudget * Math.max(...factors) * 2;
  const slow = slo.errorBudget * Math.min(...factors) * 2;
  return [
    {
      name: 'fast burn',
      requestsPerMinute: busy,
      badShare: fast,
      onsetMinute,
      durationMinutes: onsetMinute + 240,
    },
    {
      name: 'slow burn',
      requestsPerMinute: busy,
      badShare: slow,
      onsetMinute,
      durationMinutes: onsetMinute + 600,
    },
    // Long enough for the paging windows to fill with bad requests; the ticket windows are covered above.
    {
      name: 'under budget',
      requestsPerMinute: busy,
      badShare: slo.errorBudget / 2,
      onsetMinute,
      durationMinutes: onsetMinute + 360,
    },
    {
      // Half the guard's minimum over the longest paging window: even a bad burst must not page.
      name: 'low traffic',
      requestsPerMinute: MIN_REQUESTS_IN_LONG_WINDOW / (2 * Math.max(...pageLongMinutes)),
      badShare: fast,
      onsetMinute,
      durationMinutes: onsetMinute + 240,
    },
  ];
}

/**
 * A day of steady traffic with a quiet stretch, repeated over the whole SLO period, and a few bad requests in
 * each quiet stretch: the case where an average of short-window ratios overstates the budget spent.
 */
export interface QuietNightScenario {
  /** Name shown in the promtool test output. */
  readonly name: string;
  /** Requests per minute outside the quiet stretch. */
  readonly busyRequestsPerMinute: number;
  /** Requests per minute during the quiet stretch. */
  readonly quietRequestsPerMinute: number;
  /** Length of the quiet stretch at the end of every day, in minutes. */
  readonly quietMinutes: number;
  /** Bad requests per night, all in one minute in the middle of the quiet stretch. */
  readonly badPerNight: number;
  /** Days simulated: the SLO period, so the period ratio covers all of it. */
  readonly days: number;
}

/** 1000 req/min, 2 req/min for 2 hours each night, one bad request per night, over the SLO period. */
export function quietNightScenario(slo: SloDefinition): QuietNightScenario {
  return {
    name: 'quiet nights',
    busyRequestsPerMinute: 1000,
    quietRequestsPerMinute: 2,
    quietMinutes: 120,
    badPerNight: 1,
    days: slo.periodDays,
  };
}

/** Share of the period's error budget the scenario really spends: bad requests over all requests, over the budget. */
export function quietNightBudgetSpent(slo: SloDefinition, s: QuietNightScenario): number {
  const perDay =
    s.busyRequestsPerMinute * (1440 - s.quietMinutes) + s.quietRequestsPerMinute * s.quietMinutes;
  return (s.badPerNight * s.days) / (perDay * s.days) / slo.errorBudget;
}
