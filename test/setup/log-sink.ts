// The lines the suite logged in this process, for the suite-wide secrets check. No vitest import: helpers use it.
export const loggedLines: string[] = [];

/** Test loggers call this with each line they record. */
export function recordLogLine(line: string): void {
  loggedLines.push(line);
}
