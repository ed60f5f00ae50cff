import type { CheckFacts } from './check-facts';
import type { Finding } from './finding';

/** One concern of `kasho check`: reads the facts, returns its findings (OK ones too, so the report shows what was checked). */
export interface PreflightCheck {
  /** What it checks, for the report when the check itself fails. */
  readonly concern: string;
  run(facts: CheckFacts): Finding[] | Promise<Finding[]>;
}
