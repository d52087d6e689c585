/** One line of the doctor's report. */
export interface CheckResult {
  name: string;
  outcome: 'pass' | 'warn' | 'fail';
  detail: string;
}
