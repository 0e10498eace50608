/** Why a run stopped before every row was sent. The first reason wins (see Sender.stop). */
type StopKind = 'fatal' | 'quota' | 'maintenance' | 'error-budget' | 'signal' | 'max-calls' | 'uncertain-streak' | 'journal';

export interface StopInfo {
  kind: StopKind;
  message: string;
  /** The API or error code behind the stop, when there is one (API_403, E_STATE, ...). */
  code?: string;
}

/** `STOPPED_MAX_CALLS`: the code every row left pending by this stop carries in its `error` cell. */
function stopCode(stop: StopInfo): string {
  return `STOPPED_${stop.kind.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * The one text a row left pending by a stop gets in its `error` cell (and the report groups by):
 * `STOPPED_QUOTA: API_403: TOKEN LIMIT EXCEEDED: …`. `last` is the row's own last answer, if it had one.
 */
export function stoppedText(stop: StopInfo, last?: string): string {
  const text = `${stopCode(stop)}: ${stop.message}`;
  return last && !stop.message.startsWith(last) ? `${text} (last answer: ${last})` : text;
}
