// The run's timers, injectable so unit tests and the CLI share one shape: a cancellable timeout.
export type SetTimer = (fn: () => void, ms: number) => { cancel(): void };

export const realSetTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(t) };
};
