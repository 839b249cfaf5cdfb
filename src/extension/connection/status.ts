import type { EngineState } from './connection';

/** Text, tooltip and look of the engine's status-bar item for a connection state (pure, so it is testable). */
export function engineStatus(state: EngineState): { text: string; tooltip: string; warning: boolean } {
  if (state.kind === 'connected') return { text: '$(server-process) Slipway', tooltip: `Slipway engine ${state.engine.version} at ${state.engine.url} (pid ${state.engine.pid})`, warning: false };
  if (state.kind === 'connecting') return { text: '$(sync~spin) Slipway', tooltip: 'Connecting to the Slipway engine…', warning: false };
  return { text: '$(debug-disconnect) Slipway: engine stopped', tooltip: state.reason, warning: true };
}

/** What a view shows in place of its tree while the engine is not connected. */
export function disconnectedMessage(state: Exclude<EngineState, { kind: 'connected' }>): string {
  if (state.kind === 'connecting') return 'Connecting to the Slipway engine…';
  if (state.uninitialized) return state.reason;
  return `${state.reason} Start it with "Slipway: Start Engine" or \`slipway engine start\`; this view reconnects by itself.`;
}
