import { DateTime } from 'luxon';

/** A Last Updated stamp like `2025-10-10 22:30:05 PDT`, in the given IANA zone. */
export function formatStatusTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at).setZone(zone).setLocale('en-US').toFormat('yyyy-LL-dd HH:mm:ss ZZZZ');
}
