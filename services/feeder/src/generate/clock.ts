/** CloudTrail's `eventTime` and EventBridge's `time` carry whole seconds: 2024-05-01T12:00:00Z. */
export const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const secondsBefore = (date: Date, seconds: number) => new Date(date.getTime() - seconds * 1000);

export const secondsAfter = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
