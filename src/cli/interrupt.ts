/**
 * What a long command gets from src/cli/main.ts for SIGINT/SIGTERM: `signal` aborts on the first
 * one (stop gracefully); `onForce` registers what to do before main.ts exits at once on the second.
 */
export interface Interrupt {
  signal: AbortSignal;
  onForce(lastWords: () => void): void;
}
